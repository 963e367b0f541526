/**
 * One JSON POST to an external NLU engine, with a deadline and errors mapped to `PARLEY_ERR_NLU`:
 * unreachable, timed out, 5xx and 429 are retryable; other 4xx, non-JSON and unexpected shapes are not.
 * A caller's abort is passed through as its own reason. Messages name the endpoint without its query
 * (which may hold a token) and never include the text sent or the body received.
 */
import { ParleyError } from '../../errors.ts';

export interface PostJsonOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function endpointName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

export async function postJson(url: string, body: unknown, options: PostJsonOptions): Promise<unknown> {
  const where = endpointName(url);
  options.signal?.throwIfAborted();
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    throw failure(err, where, options, 'request');
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new ParleyError('PARLEY_ERR_NLU', `the NLU engine at ${where} answered HTTP ${response.status}`, {
      retryable,
      details: { status: response.status },
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw failure(err, where, options, 'response');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ParleyError('PARLEY_ERR_NLU', `the NLU engine at ${where} did not answer JSON`, {
      retryable: false,
      cause: err,
    });
  }
}

function failure(
  err: unknown,
  where: string,
  options: PostJsonOptions,
  phase: 'request' | 'response',
): unknown {
  if (options.signal?.aborted) return options.signal.reason as unknown;
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new ParleyError(
      'PARLEY_ERR_NLU',
      `the NLU engine at ${where} did not answer within ${options.timeoutMs} ms`,
      {
        retryable: true,
        cause: err,
        details: { timeoutMs: options.timeoutMs },
      },
    );
  }
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const reason = typeof code === 'string' ? ` (${code})` : '';
  const what = phase === 'request' ? 'could not be reached' : 'broke off its answer';
  return new ParleyError('PARLEY_ERR_NLU', `the NLU engine at ${where} ${what}${reason}`, {
    retryable: true,
    cause: err,
  });
}
