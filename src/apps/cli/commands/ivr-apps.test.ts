import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createIvrAppStore } from '../../../channels/voicexml/apps/ivr-app-store.ts';
import { IvrApps } from '../../../channels/voicexml/apps/ivr-apps.ts';
import { verifyIvrToken } from '../../../channels/voicexml/apps/ivr-token.ts';
import { resolveSecretKey } from '../../../channels/voicexml/apps/secret-key.ts';
import { openStorage } from '../../../storage/open-storage.ts';
import { ivrAppCommand, ivrTokenCommand, parseTtl } from './ivr-apps.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-ivr-apps-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(which: 'app' | 'token', args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env };
  const command = which === 'app' ? ivrAppCommand(io) : ivrTokenCommand(io);
  await command.exitOverride().parseAsync(args, { from: 'user' });
  return { out, err };
}

describe('parley ivr app / parley ivr token', () => {
  const data = join(root, 'data');

  it('creates an app with --json, storing it where the server (same data folder) finds it', async () => {
    const r = await run('app', ['create', 'bank', '--json', '--data', data]);
    const created = JSON.parse(r.out) as { clientId: string; clientSecret: string };
    expect(Object.keys(created)).toEqual(['clientId', 'clientSecret']);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/generated the secret key/);
    // What `parley serve --data <data>` would open:
    const storage = await openStorage({ dataDir: data });
    try {
      const apps = new IvrApps(createIvrAppStore(storage), resolveSecretKey(data, {}).bytes);
      expect(await apps.key(created.clientId)).toMatchObject({ botId: 'bank', enabled: true, secret: created.clientSecret });
    } finally {
      await storage.close();
    }
  });

  it('prints one JWT alone on its line, signed with the app secret, with the ttl and audience asked for', async () => {
    const created = JSON.parse((await run('app', ['create', 'bank', '--json', '--data', data])).out) as { clientId: string; clientSecret: string };
    const r = await run('token', ['bank', '--app', created.clientId, '--ttl', '15m', '--audience', 'bank', '--data', data]);
    expect(r.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = r.out.trim();
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ appId: created.clientId, aud: 'bank' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    const check = await verifyIvrToken(token, { botId: 'bank', keyOf: () => Promise.resolve({ clientId: created.clientId, botId: 'bank', enabled: true, secret: created.clientSecret }) });
    expect(check.ok).toBe(true);
  });

  it('lists, disables and deletes apps; refuses a token for an app of another bot', async () => {
    const created = JSON.parse((await run('app', ['create', 'bank', '--json', '--name', 'Line 2', '--data', data])).out) as { clientId: string };
    expect((await run('app', ['list', 'bank', '--data', data])).out).toContain(`${created.clientId}  enabled`);
    expect((await run('app', ['disable', 'bank', created.clientId, '--data', data])).out).toContain('disabled');
    await expect(run('token', ['shop', '--app', created.clientId, '--data', data])).rejects.toThrow(/bot 'shop' has no IVR app/);
    await run('app', ['delete', 'bank', created.clientId, '--data', data]);
    expect((await run('app', ['list', 'bank', '--data', data])).out).not.toContain(created.clientId);
  });

  it('uses PARLEY_DATA_DIR and PARLEY_SECRET_KEY as the server does', async () => {
    const env = { PARLEY_DATA_DIR: join(root, 'env-data'), PARLEY_SECRET_KEY: 'cd'.repeat(32) };
    const created = JSON.parse((await run('app', ['create', 'bank', '--json'], env)).out) as { clientId: string; clientSecret: string };
    const storage = await openStorage({ dataDir: env.PARLEY_DATA_DIR });
    try {
      const apps = new IvrApps(createIvrAppStore(storage), Buffer.from(env.PARLEY_SECRET_KEY, 'hex'));
      expect((await apps.key(created.clientId))?.secret).toBe(created.clientSecret);
    } finally {
      await storage.close();
    }
  });

  it('reads token lifetimes', () => {
    expect([parseTtl('90s'), parseTtl('15m'), parseTtl('2h'), parseTtl('30d'), parseTtl('600'), parseTtl('none')]).toEqual([90_000, 900_000, 7_200_000, 2_592_000_000, 600_000, 0]);
    expect(() => parseTtl('soon')).toThrow(/duration/);
  });
});
