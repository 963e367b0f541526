import type { ServiceRequest } from '../core/bot.ts';
import type { ServiceResult } from '../core/input.ts';

/** Performs a service node's HTTP call. Relative URLs are resolved against Parley's own address. */
export interface ServiceCaller {
  call(requestId: string, request: ServiceRequest, signal?: AbortSignal): Promise<ServiceResult>;
}

export function createHttpServiceCaller(options: { baseUrl: () => string }): ServiceCaller {
  return {
    async call(requestId, request, signal) {
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const url = new URL(request.url, options.baseUrl());
        const hasBody = request.body !== undefined && request.method !== 'GET';
        const res = await fetch(url, {
          method: request.method,
          headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...request.headers },
          ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
          signal: combined,
        });
        const text = await res.text();
        let body: unknown = text;
        if ((res.headers.get('content-type') ?? '').includes('json') && text) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        const headers = Object.fromEntries(res.headers.entries());
        return {
          type: 'serviceResult',
          requestId,
          ok: res.ok,
          status: res.status,
          body,
          headers,
          ...(res.ok ? {} : { error: `HTTP ${res.status}` }),
        };
      } catch (err) {
        const reason = timeout.aborted ? `timed out after ${request.timeoutMs} ms` : (err as Error).message;
        return { type: 'serviceResult', requestId, ok: false, error: reason };
      }
    },
  };
}
