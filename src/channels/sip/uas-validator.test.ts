import { describe, expect, it } from 'vitest';
import { createRequest } from './message.ts';
import { checkUasRequest } from './uas-validator.ts';

function invite(headers: Record<string, string>, body = '', uri = 'sip:bank@parley.example', method = 'INVITE') {
  return createRequest(method, uri, Object.entries(headers).map(([name, value]) => ({ name, value })), body);
}

describe('checkUasRequest', () => {
  it('accepts an INVITE with SDP', () => {
    expect(checkUasRequest(invite({ 'Content-Type': 'application/sdp' }, 'v=0'))).toBeUndefined();
  });

  it('answers 405 with Allow for known methods it does not serve, 501 for unknown ones', () => {
    expect(checkUasRequest(invite({}, '', 'sip:a@b', 'REGISTER'))).toMatchObject({ status: 405, headers: [{ name: 'Allow' }] });
    expect(checkUasRequest(invite({}, '', 'sip:a@b', 'RE%47IST%45R'))).toMatchObject({ status: 501 });
  });

  it('answers 416 to a Request-URI scheme it does not serve', () => {
    expect(checkUasRequest(invite({}, '', 'nobodyKnowsThisScheme:totallyopaquecontent'))?.status).toBe(416);
    expect(checkUasRequest(invite({}, '', 'tel:+15551234'))).toBeUndefined();
  });

  it('answers 420 listing the unsupported extensions, but never to ACK or CANCEL', () => {
    expect(checkUasRequest(invite({ Require: 'foo, 100rel' }))).toEqual({
      status: 420,
      detail: 'unsupported extension required',
      headers: [{ name: 'Unsupported', value: 'foo, 100rel' }],
    });
    expect(checkUasRequest(invite({ Require: 'foo' }, '', 'sip:a@b', 'ACK'))).toBeUndefined();
  });

  it('answers 415 with Accept to an unsupported body type or encoding', () => {
    expect(checkUasRequest(invite({ 'Content-Type': 'application/unknownformat' }, '<audio/>'))).toMatchObject({ status: 415, headers: [{ name: 'Accept', value: 'application/sdp' }] });
    expect(checkUasRequest(invite({ 'Content-Type': 'application/sdp', 'Content-Encoding': 'gzip' }, 'v=0'))).toMatchObject({ status: 415, headers: [{ name: 'Accept-Encoding' }] });
  });

  it('answers 406 when Accept excludes SDP, and honours wildcards and q=0', () => {
    expect(checkUasRequest(invite({ Accept: 'text/nobodyKnowsThis' }))?.status).toBe(406);
    expect(checkUasRequest(invite({ Accept: 'application/*' }))).toBeUndefined();
    expect(checkUasRequest(invite({ Accept: 'application/sdp;q=0, text/plain' }))?.status).toBe(406);
  });
});
