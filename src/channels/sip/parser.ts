/**
 * Parses one SIP message from bytes (a UDP datagram, or one message cut from a stream by
 * `SipStreamFramer`): start line, folded headers, Content-Length framing (RFC 3261 §7, §18.3).
 *
 * Header values are kept as text; their grammar is checked by `validateRequest`/`validateResponse`.
 * A malformed request still yields its headers, so that a 400 can be sent where one can be built.
 */
import type { HeaderField, SipMessage } from './message.ts';
import { SipHeaders } from './message.ts';
import { canonicalHeaderName } from './header-names.ts';
import { isToken } from './header-syntax.ts';
import { parseContentLength } from './scalar-headers.ts';

export interface ParseLimits {
  /** Largest message accepted, start line to the end of the body. */
  maxMessageBytes: number;
  /** Most header lines accepted in one message. */
  maxHeaders: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxMessageBytes: 65_535, maxHeaders: 256 };

/** What is left of a request that could not be parsed: enough to answer it with a 400. */
export interface PartialRequest {
  method: string;
  headers: SipHeaders;
}

export type ParseResult =
  | { ok: true; message: SipMessage }
  | { ok: false; reason: string; request?: PartialRequest };

const REQUEST_VERSION = /^SIP\/\d{1,3}\.\d{1,3}$/i;
const STATUS_LINE = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)$/i;

/** Where the header section ends and the body starts; the head runs to the end of the data when unterminated. */
function findHeadEnd(data: Buffer, from: number): { headEnd: number; bodyStart: number; terminated: boolean } {
  const crlf = data.indexOf('\r\n\r\n', from, 'latin1');
  const lf = data.indexOf('\n\n', from, 'latin1');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headEnd: crlf, bodyStart: crlf + 4, terminated: true };
  if (lf >= 0) return { headEnd: lf, bodyStart: lf + 2, terminated: true };
  return { headEnd: data.length, bodyStart: data.length, terminated: false };
}

interface HeaderLines {
  fields: HeaderField[];
  error?: string;
}

function parseHeaderLines(lines: string[], maxHeaders: number): HeaderLines {
  const fields: HeaderField[] = [];
  let error: string | undefined;
  let current: HeaderField | undefined;
  for (const line of lines) {
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      if (current) current.value = `${current.value} ${line.trim()}`.trim();
      else error ??= 'continuation line before any header';
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
    if (!isToken(name)) {
      error ??= 'malformed header line';
      current = undefined;
      continue;
    }
    if (fields.length >= maxHeaders) return { fields, error: 'too many headers' };
    current = { name: canonicalHeaderName(name), value: line.slice(colon + 1).trim() };
    fields.push(current);
  }
  return error === undefined ? { fields } : { fields, error };
}

/** Parses a message; in a datagram the body ends at Content-Length and any trailing octets are ignored. */
export function parseMessage(data: Buffer, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseResult {
  if (data.length > limits.maxMessageBytes) return { ok: false, reason: 'message too large' };
  let start = 0;
  while (data[start] === 0x0d || data[start] === 0x0a) start++;
  if (start >= data.length) return { ok: false, reason: 'empty message' };
  const { headEnd, bodyStart, terminated } = findHeadEnd(data, start);
  const lines = data.subarray(start, headEnd).toString('utf8').split(/\r?\n/);
  const startLine = lines[0] ?? '';
  const { fields, error: headerError } = parseHeaderLines(lines.slice(1), limits.maxHeaders);
  const headers = new SipHeaders(fields);

  if (/^SIP\//i.test(startLine)) {
    const status = STATUS_LINE.exec(startLine);
    if (!status) return { ok: false, reason: 'malformed status line' };
    const code = Number(status[1]);
    if (code < 100 || code > 699) return { ok: false, reason: 'status code out of range' };
    if (headerError) return { ok: false, reason: headerError };
    const body = frameBody(data, bodyStart, headers);
    if (typeof body === 'string') return { ok: false, reason: body };
    return { ok: true, message: { kind: 'response', version: 'SIP/2.0', status: code, reason: status[2]!, headers, body } };
  }

  const parts = startLine.split(' ');
  const method = parts[0] ?? '';
  const fail = (reason: string): ParseResult => ({ ok: false, reason, ...(isToken(method) && { request: { method, headers } }) });
  if (parts.length !== 3 || !isToken(method) || parts[1] === '' || !REQUEST_VERSION.test(parts[2]!)) {
    return fail('malformed request line');
  }
  if (hasControlOrSpace(parts[1]!)) return fail('malformed Request-URI');
  if (headerError) return fail(headerError);
  if (!terminated && !/\r?\n$/.test(data.subarray(start).toString('latin1'))) return fail('header section not terminated');
  const body = frameBody(data, bodyStart, headers);
  if (typeof body === 'string') return fail(body);
  return { ok: true, message: { kind: 'request', method, uri: parts[1]!, version: parts[2]!.toUpperCase(), headers, body } };
}

function hasControlOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The body per Content-Length (§18.3), or the reason the framing is broken. */
function frameBody(data: Buffer, bodyStart: number, headers: SipHeaders): Buffer | string {
  const lengths = headers.getAll('Content-Length');
  const available = data.length - bodyStart;
  if (lengths.length === 0) return Buffer.from(data.subarray(bodyStart));
  if (lengths.length > 1) return 'more than one Content-Length';
  const length = parseContentLength(lengths[0]!);
  if (length === undefined) return 'invalid Content-Length';
  if (length > available) return 'Content-Length larger than the message';
  return Buffer.from(data.subarray(bodyStart, bodyStart + length));
}
