import { afterEach, describe, expect, it } from 'vitest';
import { isParleyError, type ParleyError } from '../../errors.ts';
import { startNluTestServer, type NluTestServer } from './nlu-test-server.ts';
import { postJson } from './post-json.ts';

let server: NluTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failureOf(promise: Promise<unknown>): Promise<ParleyError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isParleyError(err)) throw new Error(`expected a ParleyError, got ${String(err)}`);
  return err;
}

describe('JSON POST to an NLU engine', () => {
  it('sends JSON with the headers and returns the parsed answer', async () => {
    server = await startNluTestServer(() => ({ body: { ok: true } }));
    const answer = await postJson(
      `${server.url}/parse`,
      { text: 'hi' },
      { timeoutMs: 2000, headers: { authorization: 'Bearer k' } },
    );
    expect(answer).toEqual({ ok: true });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/parse', body: { text: 'hi' } });
    expect(server.received[0]?.headers['authorization']).toBe('Bearer k');
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('maps a 5xx to a retryable PARLEY_ERR_NLU and a 4xx to a final one', async () => {
    server = await startNluTestServer((r) => ({
      status: r.url === '/down' ? 503 : 400,
      body: { error: 'x' },
    }));
    const down = await failureOf(postJson(`${server.url}/down`, {}, { timeoutMs: 2000 }));
    expect(down).toMatchObject({ code: 'PARLEY_ERR_NLU', retryable: true, status: 502 });
    expect(down.message).toContain('HTTP 503');
    const bad = await failureOf(postJson(`${server.url}/bad`, {}, { timeoutMs: 2000 }));
    expect(bad).toMatchObject({ code: 'PARLEY_ERR_NLU', retryable: false });
  });

  it('gives up on a slow server after the timeout, retryably', async () => {
    server = await startNluTestServer(() => ({ delayMs: 2000, body: {} }));
    const started = performance.now();
    const slow = await failureOf(postJson(`${server.url}/parse`, {}, { timeoutMs: 150 }));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(slow).toMatchObject({ code: 'PARLEY_ERR_NLU', retryable: true });
    expect(slow.message).toContain('150 ms');
  });

  it('passes the caller abort through instead of reporting an engine failure', async () => {
    server = await startNluTestServer(() => ({ delayMs: 2000, body: {} }));
    const controller = new AbortController();
    const pending = postJson(`${server.url}/parse`, {}, { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller hung up')), 50);
    await expect(pending).rejects.toThrow('caller hung up');
  });

  it('reports an unreachable engine as retryable and a non-JSON answer as final', async () => {
    server = await startNluTestServer(() => ({ body: 'not json at all' }));
    const garbled = await failureOf(postJson(`${server.url}/parse`, {}, { timeoutMs: 2000 }));
    expect(garbled).toMatchObject({ code: 'PARLEY_ERR_NLU', retryable: false });
    const url = server.url;
    await server.close();
    server = undefined;
    const gone = await failureOf(postJson(`${url}/parse?token=secret`, {}, { timeoutMs: 2000 }));
    expect(gone).toMatchObject({ code: 'PARLEY_ERR_NLU', retryable: true });
    expect(gone.message).toContain('ECONNREFUSED');
    expect(gone.message).not.toContain('secret');
  });
});
