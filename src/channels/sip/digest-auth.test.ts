import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from './digest-auth.ts';
import { DigestAuthenticator, digestHash, parseDigestParams } from './digest-auth.ts';

const URI = 'sip:bank@parley.example';

/** What a client computes from a challenge (RFC 2617 §3.2.2, qop=auth). */
function credentials(challenge: string, options: { user?: string; password?: string; nc?: string; uri?: string; algorithm?: DigestAlgorithm } = {}): string {
  const params = parseDigestParams(challenge)!;
  const algorithm = options.algorithm ?? (params.get('algorithm') as DigestAlgorithm);
  const user = options.user ?? 'gateway';
  const uri = options.uri ?? URI;
  const nc = options.nc ?? '00000001';
  const ha1 = digestHash(algorithm, `${user}:${params.get('realm')}:${options.password ?? 's3cret'}`);
  const ha2 = digestHash(algorithm, `INVITE:${uri}`);
  const response = digestHash(algorithm, `${ha1}:${params.get('nonce')}:${nc}:abc:auth:${ha2}`);
  return `Digest username="${user}", realm="${params.get('realm')}", nonce="${params.get('nonce')}", uri="${uri}", response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="abc"`;
}

function authenticator(now = { t: 1_000_000 }) {
  return new DigestAuthenticator({ realm: 'parley', password: (u) => (u === 'gateway' ? 's3cret' : undefined), now: () => now.t });
}

describe('DigestAuthenticator', () => {
  it('challenges with SHA-256 first, then MD5, sharing one nonce', () => {
    const [sha, md5] = authenticator().challenges();
    expect(sha).toMatch(/^Digest realm="parley", nonce="[^"]+", algorithm=SHA-256, qop="auth"$/);
    expect(md5).toContain('algorithm=MD5');
    expect(parseDigestParams(sha!)!.get('nonce')).toBe(parseDigestParams(md5!)!.get('nonce'));
  });

  it('accepts correct SHA-256 and MD5 answers', async () => {
    const auth = authenticator();
    for (const index of [0, 1]) {
      const challenge = auth.challenges()[index]!;
      await expect(auth.verify('INVITE', URI, [credentials(challenge)])).resolves.toEqual({ ok: true, username: 'gateway' });
    }
  });

  it('refuses a wrong password, an unknown user, another URI, a forged nonce and a replayed count', async () => {
    const auth = authenticator();
    const [challenge] = auth.challenges();
    const verify = (value: string) => auth.verify('INVITE', URI, [value]);
    await expect(verify(credentials(challenge!, { password: 'nope' }))).resolves.toMatchObject({ ok: false, reason: 'wrong response' });
    await expect(verify(credentials(challenge!, { user: 'mallory' }))).resolves.toMatchObject({ ok: false, reason: 'unknown user' });
    await expect(verify(credentials(challenge!, { uri: 'sip:other@parley.example' }))).resolves.toMatchObject({ ok: false });
    await expect(verify(credentials(challenge!.replace(/nonce="[^"]+"/, 'nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"')))).resolves.toMatchObject({ ok: false, reason: 'nonce invalid' });
    const good = credentials(challenge!);
    await expect(verify(good)).resolves.toMatchObject({ ok: true });
    await expect(verify(good)).resolves.toMatchObject({ ok: false, reason: 'nonce count replayed' });
    await expect(verify(credentials(challenge!, { nc: '00000002' }))).resolves.toMatchObject({ ok: true });
  });

  it('calls an expired nonce stale, so the client retries without asking the user again', async () => {
    const now = { t: 1_000_000 };
    const auth = authenticator(now);
    const [challenge] = auth.challenges();
    now.t += 300_001;
    await expect(auth.verify('INVITE', URI, [credentials(challenge!)])).resolves.toEqual({ ok: false, stale: true, reason: 'nonce stale' });
    expect(auth.challenges(true)[0]).toContain('stale=true');
  });

  it('ignores credentials for another realm or scheme', async () => {
    const auth = authenticator();
    await expect(auth.verify('INVITE', URI, ['NoOneKnowsThisScheme opaque-data=here'])).resolves.toMatchObject({ ok: false, reason: 'no credentials for this realm' });
  });
});
