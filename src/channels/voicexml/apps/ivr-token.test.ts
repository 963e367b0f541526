import { createSecretKey } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { IvrAppKey } from './ivr-apps.ts';
import { mintIvrToken, VerifiedTokens, verifyIvrToken, type TokenCheck } from './ivr-token.ts';

const apps: Record<string, IvrAppKey> = {
  ivr_bank: { clientId: 'ivr_bank', botId: 'bank', enabled: true, secret: 'bank-secret-0123456789abcdefghijklmnop' },
  ivr_shop: { clientId: 'ivr_shop', botId: 'shop', enabled: true, secret: 'shop-secret-0123456789abcdefghijklmnop' },
  ivr_off: { clientId: 'ivr_off', botId: 'bank', enabled: false, secret: 'off-secret-0123456789abcdefghijklmnopq' },
};
const keyOf = (id: string) => Promise.resolve(apps[id]);
const now = new Date('2025-03-01T10:00:00Z');
const check = (token: string | undefined, extra: { audience?: string; botId?: string } = {}) => verifyIvrToken(token, { botId: 'bank', keyOf, now, ...extra });
const mint = (clientId: string, extra: { ttlMs?: number; audience?: string; secret?: string; now?: Date } = {}) =>
  mintIvrToken({ clientId, secret: extra.secret ?? apps[clientId]?.secret ?? 'x', ttlMs: 3600_000, now, ...extra });
const refusal = (r: TokenCheck) => (r.ok ? 'accepted' : `${r.status} ${r.refusal}`);

describe('IVR webhook tokens', () => {
  it('accepts an HS256 token of the bot’s app, with appId, iat and exp', async () => {
    const token = await mint('ivr_bank');
    const r = await check(token);
    expect(r).toMatchObject({ ok: true, appId: 'ivr_bank', claims: { appId: 'ivr_bank', iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 3600 } });
  });

  it('refuses a missing, malformed, unsigned or unknown-app token with 401', async () => {
    expect(refusal(await check(undefined))).toBe('401 missing');
    expect(refusal(await check('not-a-jwt'))).toBe('401 malformed');
    expect(refusal(await check(new UnsecuredJWT({ appId: 'ivr_bank' }).setIssuedAt().encode()))).toBe('401 malformed');
    expect(refusal(await check(await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(createSecretKey(Buffer.from(apps.ivr_bank?.secret ?? '')))))).toBe('401 malformed');
    expect(refusal(await check(await mint('ivr_nobody', { secret: 'whatever-secret-0123456789abcdefghij' })))).toBe('401 unknown-app');
  });

  it('refuses a wrong signature, another algorithm, an expired token and one from the future', async () => {
    expect(refusal(await check(await mint('ivr_bank', { secret: 'guessed-secret-0123456789abcdefghijkl' })))).toBe('401 bad-signature');
    const hs512 = await new SignJWT({ appId: 'ivr_bank' }).setProtectedHeader({ alg: 'HS512' }).setIssuedAt().sign(createSecretKey(Buffer.from(apps.ivr_bank?.secret ?? '')));
    expect(refusal(await check(hs512))).toBe('401 malformed');
    expect(refusal(await check(await mint('ivr_bank', { now: new Date(now.getTime() - 2 * 3600_000) })))).toBe('401 expired');
    // Within the clock tolerance a just-expired token still passes.
    expect(refusal(await check(await mint('ivr_bank', { now: new Date(now.getTime() - 3600_000 - 10_000) })))).toBe('accepted');
    expect(refusal(await check(await mint('ivr_bank', { now: new Date(now.getTime() + 600_000) })))).toBe('401 not-yet-valid');
  });

  it("refuses a token of another bot's app with 401, and a disabled app's with 403", async () => {
    expect(refusal(await check(await mint('ivr_shop')))).toBe('401 other-bot');
    expect(refusal(await check(await mint('ivr_off')))).toBe('403 app-disabled');
  });

  it('honours the audience: when present it must name this webhook, and a configured one is required', async () => {
    expect(refusal(await check(await mint('ivr_bank', { audience: 'bank' })))).toBe('accepted');
    expect(refusal(await check(await mint('ivr_bank', { audience: 'https://parley.example/ivr/hooks/bank' })))).toBe('accepted');
    expect(refusal(await check(await mint('ivr_bank', { audience: 'https://parley.example/ivr/hooks/shop' })))).toBe('401 wrong-audience');
    expect(refusal(await check(await mint('ivr_bank'), { audience: 'acme-ivr' }))).toBe('401 wrong-audience');
    expect(refusal(await check(await mint('ivr_bank', { audience: 'acme-ivr' }), { audience: 'acme-ivr' }))).toBe('accepted');
  });

  it('waives only the expiry when asked (a call the token started goes on): every other check still refuses', async () => {
    const waived = (token: string, extra: { botId?: string; verified?: VerifiedTokens } = {}) => verifyIvrToken(token, { botId: 'bank', keyOf, now, expiryWaived: true, ...extra });
    const anHourAgo = new Date(now.getTime() - 2 * 3600_000);
    const expired = await mint('ivr_bank', { now: anHourAgo });
    expect(await waived(expired)).toMatchObject({ ok: true, appId: 'ivr_bank', claims: { exp: anHourAgo.getTime() / 1000 + 3600 } });
    expect(refusal(await check(expired))).toBe('401 expired');
    expect(refusal(await waived(await mint('ivr_bank', { now: anHourAgo, secret: 'guessed-secret-0123456789abcdefghijkl' })))).toBe('401 bad-signature');
    expect(refusal(await waived(await mint('ivr_shop', { now: anHourAgo })))).toBe('401 other-bot');
    expect(refusal(await waived(await mint('ivr_off', { now: anHourAgo })))).toBe('403 app-disabled');
    expect(refusal(await waived(await mint('ivr_bank', { now: anHourAgo, audience: 'https://parley.example/ivr/hooks/shop' })))).toBe('401 wrong-audience');
    // The same through the cache of verified tokens: first seen valid, then past its exp.
    const verified = new VerifiedTokens();
    const soon = await mint('ivr_bank', { ttlMs: 60_000 });
    expect((await verifyIvrToken(soon, { botId: 'bank', keyOf, now, verified })).ok).toBe(true);
    const later = new Date(now.getTime() + 600_000);
    expect(refusal(await verifyIvrToken(soon, { botId: 'bank', keyOf, now: later, verified }))).toBe('401 expired');
    expect(refusal(await verifyIvrToken(soon, { botId: 'bank', keyOf, now: later, verified, expiryWaived: true }))).toBe('accepted');
    expect(refusal(await verifyIvrToken(soon, { botId: 'shop', keyOf, now: later, verified, expiryWaived: true }))).toBe('401 other-bot');
  });

  it('accepts a token without exp (long-lived, as some IVRs embed it)', async () => {
    expect(refusal(await check(await mint('ivr_bank', { ttlMs: 0 })))).toBe('accepted');
  });
});

describe('verified tokens', () => {
  it('skip the signature check on later fetches but still refuse once expired, disabled or re-keyed', async () => {
    const verified = new VerifiedTokens();
    let key: IvrAppKey = { clientId: 'ivr_c', botId: 'bank', enabled: true, secret: 'c-secret-0123456789abcdefghijklmnopqrstu' };
    const opts = (at: Date) => ({ botId: 'bank', keyOf: () => Promise.resolve(key), now: at, verified });
    const token = await mintIvrToken({ clientId: 'ivr_c', secret: key.secret, ttlMs: 60_000, now });
    expect((await verifyIvrToken(token, opts(now))).ok).toBe(true);
    expect(verified.get(token)?.appId).toBe('ivr_c');
    expect((await verifyIvrToken(token, opts(new Date(now.getTime() + 30_000)))).ok).toBe(true);
    expect(refusal(await verifyIvrToken(token, opts(new Date(now.getTime() + 120_000))))).toBe('401 expired');
    expect(refusal(await verifyIvrToken(token, { ...opts(now), botId: 'shop' }))).toBe('401 other-bot');
    key = { ...key, enabled: false };
    expect(refusal(await verifyIvrToken(token, opts(now)))).toBe('403 app-disabled');
    key = { ...key, enabled: true, secret: 'another-secret-0123456789abcdefghijklmn' };
    expect(refusal(await verifyIvrToken(token, opts(now)))).toBe('401 bad-signature');
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    expect(refusal(await verifyIvrToken(forged, opts(now)))).toBe('401 bad-signature');
  });
});
