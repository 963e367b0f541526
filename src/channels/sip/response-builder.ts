/**
 * Builds a response to a request as RFC 3261 §8.2.6 says: Via, From, To, Call-ID and CSeq copied,
 * a To tag added to every response but 100, Timestamp echoed in 100 Trying.
 */
import type { HeaderField, SipResponse } from './message.ts';
import { SipHeaders, toBody } from './message.ts';
import { parseNameAddr, tagOf } from './name-addr.ts';
import { reasonPhrase } from './status-reasons.ts';

export interface ResponseOptions {
  reason?: string;
  /** Added to To when it has no tag yet (ignored for 100). */
  toTag?: string;
  headers?: HeaderField[];
  body?: Buffer | string;
  contentType?: string;
}

export function buildResponse(request: { headers: SipHeaders }, status: number, options: ResponseOptions = {}): SipResponse {
  const source = request.headers;
  const headers = new SipHeaders();
  for (const via of source.getAll('Via')) headers.append('Via', via);
  const from = source.get('From');
  if (from !== undefined) headers.append('From', from);
  const to = source.get('To');
  if (to !== undefined) headers.append('To', withTag(to, status === 100 ? undefined : options.toTag));
  for (const name of ['Call-ID', 'CSeq']) {
    const value = source.get(name);
    if (value !== undefined) headers.append(name, value);
  }
  const timestamp = source.get('Timestamp');
  if (status === 100 && timestamp !== undefined) headers.append('Timestamp', timestamp);
  for (const field of options.headers ?? []) headers.append(field.name, field.value);
  const body = toBody(options.body ?? '');
  if (body.length > 0 && options.contentType) headers.set('Content-Type', options.contentType);
  return { kind: 'response', version: 'SIP/2.0', status, reason: options.reason ?? reasonPhrase(status), headers, body };
}

function withTag(to: string, tag: string | undefined): string {
  if (tag === undefined) return to;
  const parsed = parseNameAddr(to);
  if (parsed && tagOf(parsed) !== undefined) return to;
  return `${to};tag=${tag}`;
}
