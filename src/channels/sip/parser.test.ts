import { describe, expect, it } from 'vitest';
import { parseMessage } from './parser.ts';
import { serializeMessage } from './serializer.ts';
import type { SipMessage } from './message.ts';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');

function ok(data: Buffer): SipMessage {
  const result = parseMessage(data);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

const INVITE = crlf(
  'INVITE sip:bank@parley.example SIP/2.0',
  'v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK2',
  'Via: SIP/2.0/TCP "odd" 192.0.2.3;branch=z9hG4bK3',
  'f: "Doe, Jane" <sip:jane@example.com>;tag=a1',
  't: <sip:bank@parley.example>',
  'i: call-1@example.com',
  'CSeq: 1 INVITE',
  'm: <sip:jane@192.0.2.1>, "Desk, 2" <sip:desk@192.0.2.9>;q=0.5',
  'Subject: first line',
  '  continued',
  'X-Custom:   keep me   ',
  'c: application/sdp',
  'l: 4',
  '',
  'v=0\r\n',
);

describe('parseMessage', () => {
  it('expands compact forms, unfolds, and splits list headers outside quotes and <>', () => {
    const message = ok(INVITE);
    expect(message.kind === 'request' && message.method).toBe('INVITE');
    expect(message.headers.values('Via')).toEqual(['SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1', 'SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK2', 'SIP/2.0/TCP "odd" 192.0.2.3;branch=z9hG4bK3']);
    expect(message.headers.values('contact')).toEqual(['<sip:jane@192.0.2.1>', '"Desk, 2" <sip:desk@192.0.2.9>;q=0.5']);
    expect(message.headers.get('From')).toBe('"Doe, Jane" <sip:jane@example.com>;tag=a1');
    expect(message.headers.get('subject')).toBe('first line continued');
    expect(message.headers.get('x-custom')).toBe('keep me');
    expect(message.body.toString()).toBe('v=0\r');
  });

  it('ends a datagram body at Content-Length and ignores the rest (RFC 3261 §18.3)', () => {
    const message = ok(Buffer.concat([INVITE, Buffer.from('trailing garbage')]));
    expect(message.body.length).toBe(4);
  });

  it('takes the rest of a datagram as body when Content-Length is absent', () => {
    const message = ok(crlf('MESSAGE sip:a@b SIP/2.0', 'Call-ID: x', '', 'hello'));
    expect(message.body.toString()).toBe('hello');
  });

  it('keeps binary bodies byte for byte', () => {
    const body = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);
    const message = ok(Buffer.concat([crlf('MESSAGE sip:a@b SIP/2.0', 'Content-Type: application/octet-stream', 'Content-Length: 5', '', ''), body]));
    expect(message.body.equals(body)).toBe(true);
  });

  it('reads responses, with an empty or UTF-8 reason phrase', () => {
    const response = ok(crlf('SIP/2.0 100 ', 'Content-Length: 0', '', ''));
    expect(response.kind === 'response' && [response.status, response.reason]).toEqual([100, '']);
    const utf8 = ok(crlf('SIP/2.0 200 хорошо', 'Content-Length: 0', '', ''));
    expect(utf8.kind === 'response' && utf8.reason).toBe('хорошо');
  });

  it('refuses broken start lines and framing, keeping the headers of a request for its 400', () => {
    const cases: Array<[Buffer, string]> = [
      [crlf('INVITE  sip:a@b  SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bKx', '', ''), 'malformed request line'],
      [crlf('OPTIONS sip:a@b SIP/2.0  ', 'Via: SIP/2.0/UDP h', '', ''), 'malformed request line'],
      [crlf('INVITE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h', 'Content-Length: 99', '', 'short'), 'Content-Length larger than the message'],
      [crlf('INVITE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h', 'Content-Length: -1', '', ''), 'invalid Content-Length'],
      [crlf('INVITE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h', 'l: 0', 'Content-Length: 0', '', ''), 'more than one Content-Length'],
      [crlf('INVITE sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h', 'no colon here', '', ''), 'malformed header line'],
    ];
    for (const [data, reason] of cases) {
      const result = parseMessage(data);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.reason).toBe(reason);
      expect(result.request?.headers.get('Via')).toMatch(/^SIP\/2\.0\/UDP h/);
    }
  });

  it('drops responses with a bad status code and has no partial request for them', () => {
    const result = parseMessage(crlf('SIP/2.0 4294967301 better not break the receiver', '', ''));
    expect(result).toEqual({ ok: false, reason: 'malformed status line' });
  });

  it('bounds memory: too large a message or too many headers is refused', () => {
    expect(parseMessage(Buffer.alloc(70_000, 0x41))).toMatchObject({ ok: false, reason: 'message too large' });
    const many = crlf('OPTIONS sip:a@b SIP/2.0', ...Array.from({ length: 300 }, (_, i) => `X-H${i}: v`), '', '');
    expect(parseMessage(many)).toMatchObject({ ok: false, reason: 'too many headers' });
    expect(parseMessage(many, { maxMessageBytes: 65_535, maxHeaders: 400 }).ok).toBe(true);
  });

  it('serializes back to a message that parses to the same content, with a correct Content-Length', () => {
    const first = ok(INVITE);
    const second = ok(serializeMessage(first));
    expect(second.headers.entries().filter((h) => h.name !== 'Content-Length')).toEqual(first.headers.entries().filter((h) => h.name !== 'Content-Length'));
    expect(second.headers.get('Content-Length')).toBe('4');
    expect(second.body.equals(first.body)).toBe(true);
  });
});
