/**
 * Behind a reverse proxy, the sign-in limits count the client the proxy names (PARLEY_TRUST_PROXY), not the
 * proxy itself, whose one address would otherwise make the per-address limit a limit on everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/support/server.ts';
import { ParleyError } from '../../errors.ts';
import { resolveConfig } from './config.ts';

let trusting: Awaited<ReturnType<typeof startTestServer>>;
let direct: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  [trusting, direct] = await Promise.all([startTestServer({ trustProxy: '127.0.0.1' }), startTestServer()]);
});
afterAll(async () => Promise.all([trusting?.dispose(), direct?.dispose()]));

/** A failed sign-in of a made-up username, through a proxy that says the client is `client`. */
const guess = (url: string, client: string, n: number) =>
  fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ username: `someone-${n}`, password: 'a-guessed-password' }),
  }).then((r) => r.status);

describe('sign-in limits behind a reverse proxy', () => {
  it('counts each client the trusted proxy names, so one client guessing locks out only itself', async () => {
    for (let i = 0; i < 20; i++) expect(await guess(trusting.url, '203.0.113.5', i)).toBe(401);
    expect(await guess(trusting.url, '203.0.113.5', 20)).toBe(429);
    expect(await guess(trusting.url, '203.0.113.6', 21)).toBe(401);
  });

  it('without PARLEY_TRUST_PROXY, counts the connection’s peer and ignores the header', async () => {
    for (let i = 0; i < 20; i++) expect(await guess(direct.url, `203.0.113.${i}`, i)).toBe(401);
    expect(await guess(direct.url, '198.51.100.1', 20)).toBe(429);
  });

  it('reads PARLEY_TRUST_PROXY as true or addresses, and refuses anything else with the variable named', () => {
    expect(resolveConfig({}, { PARLEY_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(resolveConfig({}, { PARLEY_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(resolveConfig({}, {}).trustProxy).toBeUndefined();
    expect(() => resolveConfig({}, { PARLEY_TRUST_PROXY: 'the proxy' })).toThrow(ParleyError);
    expect(() => resolveConfig({}, { PARLEY_TRUST_PROXY: 'the proxy' })).toThrow(/PARLEY_TRUST_PROXY/);
  });
});
