import { describe, expect, it } from 'vitest';
import type { SipRequest } from './message.ts';
import { createRequest } from './message.ts';
import { validateRequest } from './request-validator.ts';

const BASE: Record<string, string> = {
  Via: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKabc',
  'Max-Forwards': '70',
  From: '<sip:caller@example.com>;tag=1',
  To: '<sip:bank@parley.example>',
  'Call-ID': 'v-1',
  CSeq: '1 OPTIONS',
};

function request(changes: Record<string, string | null> = {}, method = 'OPTIONS', uri = 'sip:bank@parley.example'): SipRequest {
  const fields = { ...BASE, ...changes };
  const headers = Object.entries(fields).flatMap(([name, value]) => (value === null ? [] : [{ name, value }]));
  return createRequest(method, uri, headers);
}

describe('validateRequest', () => {
  it('accepts a well-formed request, and one without Max-Forwards (RFC 2543 callers)', () => {
    expect(validateRequest(request())).toBeUndefined();
    expect(validateRequest(request({ 'Max-Forwards': null }))).toBeUndefined();
  });

  it('answers 505 to another SIP version', () => {
    const old = { ...request(), version: 'SIP/7.0' };
    expect(validateRequest(old)?.status).toBe(505);
  });

  it('answers 400 with the reason for each grammar problem', () => {
    const cases: Array<[SipRequest, string]> = [
      [request({ 'Call-ID': null }), 'Call-ID missing'],
      [request({ CSeq: '36893488147419103232 OPTIONS' }), 'malformed CSeq'],
      [request({ CSeq: '1 INVITE' }), 'CSeq method does not match the request'],
      [request({ 'Max-Forwards': '300' }), 'malformed Max-Forwards'],
      [request({ Date: 'Fri, 01 Jan 2010 16:00:00 EST' }), 'malformed Date'],
      [request({ Contact: 'sip:user@example.com?Route=%3Csip:sip.example.com%3E' }), 'malformed Contact'],
      [request({ Contact: '*' }), 'malformed Contact'],
      [request({ Require: 'a b' }), 'malformed Require'],
      [request({}, 'OPTIONS', 'sip:user@example.com?Route=%3Csip:example.com%3E'), 'headers in the Request-URI'],
      [request({}, 'OPTIONS', '<sip:user@example.com>'), 'malformed Request-URI'],
    ];
    for (const [candidate, detail] of cases) expect(validateRequest(candidate), detail).toEqual({ status: 400, detail });
    const twice = request();
    twice.headers.append('To', '<sip:other@example.net>');
    expect(validateRequest(twice)).toEqual({ status: 400, detail: 'more than one To' });
    const withBody = { ...request(), body: Buffer.from('x') };
    expect(validateRequest(withBody)?.detail).toBe('body without Content-Type');
  });
});
