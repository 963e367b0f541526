import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/sip/fake-clock.ts';
import { DEFAULT_TIMERS } from './clock.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { createRequest } from './message.ts';
import { buildResponse } from './response-builder.ts';
import type { ServerTransaction } from './server-transactions.ts';
import { TransactionLayer } from './transaction-layer.ts';
import type { Flow } from './transport.ts';

const FLOW: Flow = { protocol: 'udp', local: { address: '127.0.0.1', port: 5060 }, remote: { address: '192.0.2.1', port: 5060 } };

function request(method: string, overrides: Record<string, string> = {}, uri = 'sip:bank@parley.example'): SipRequest {
  const headers = {
    Via: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKlayer1',
    From: '<sip:c@example.com>;tag=f1',
    To: '<sip:bank@parley.example>',
    'Call-ID': 'layer-1',
    CSeq: `5 ${method}`,
    ...overrides,
  };
  return createRequest(method, uri, Object.entries(headers).map(([name, value]) => ({ name, value })));
}

function setup(maxTransactions = 100) {
  const clock = new FakeClock();
  const requests: Array<{ request: SipRequest; transaction: ServerTransaction }> = [];
  const acks: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer(
    {
      onRequest: (request, transaction) => requests.push({ request, transaction }),
      onAck: (request) => acks.push(request),
      onStrayResponse: (response) => strays.push(response),
    },
    { clock, timers: DEFAULT_TIMERS, maxTransactions },
  );
  const sent: SipResponse[] = [];
  const send = (response: SipResponse): Promise<void> => {
    sent.push(response);
    return Promise.resolve();
  };
  const receive = (r: SipRequest): void => layer.receiveRequest(r, FLOW, send);
  return { clock, layer, requests, acks, strays, sent, receive };
}

describe('TransactionLayer', () => {
  it('sends 100 Trying for an INVITE and absorbs its retransmissions', () => {
    const { requests, sent, receive } = setup();
    receive(request('INVITE'));
    receive(request('INVITE'));
    expect(requests).toHaveLength(1);
    expect(sent.map((r) => r.status)).toEqual([100, 100]);
  });

  it('treats a reused branch with another Call-ID as a new request', () => {
    const { requests, receive } = setup();
    receive(request('REGISTER'));
    receive(request('REGISTER', { 'Call-ID': 'layer-2' }));
    expect(requests).toHaveLength(2);
  });

  it('matches requests without a magic cookie the RFC 2543 way (RFC 4475 badbranch, inv2543)', () => {
    const { requests, acks, sent, receive } = setup();
    const old = { Via: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK' };
    receive(request('INVITE', old));
    receive(request('INVITE', old));
    expect(requests).toHaveLength(1);
    const { transaction } = requests[0]!;
    transaction.respond(buildResponse(transaction.request, 486, { toTag: 'ours' }));
    // An ACK with another To tag is not for this transaction; the one with ours is absorbed.
    receive(request('ACK', { ...old, To: '<sip:bank@parley.example>;tag=other', CSeq: '5 ACK' }));
    expect(acks).toHaveLength(1);
    receive(request('ACK', { ...old, To: '<sip:bank@parley.example>;tag=ours', CSeq: '5 ACK' }));
    expect(acks).toHaveLength(1);
    expect(transaction.state).toBe('confirmed');
    // A different Request-URI makes a different transaction.
    receive(request('INVITE', old, 'sip:other@parley.example'));
    expect(requests).toHaveLength(2);
    expect(sent.filter((r) => r.status === 486)).toHaveLength(1);
  });

  it('finds the INVITE a CANCEL is for, by branch or the RFC 2543 way', () => {
    const { layer, requests, receive } = setup();
    receive(request('INVITE'));
    receive(request('CANCEL'));
    const cancel = requests[1]!.request;
    expect(layer.inviteFor(cancel)).toBe(requests[0]!.transaction);
    expect(layer.inviteFor(request('CANCEL', { Via: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKelse' }))).toBeUndefined();
    receive(request('INVITE', { Via: 'SIP/2.0/UDP 192.0.2.7', 'Call-ID': 'old-1' }));
    expect(layer.inviteFor(request('CANCEL', { Via: 'SIP/2.0/UDP 192.0.2.7', 'Call-ID': 'old-1' }))).toBe(requests[2]!.transaction);
  });

  it('passes the ACK of a 2xx (new branch) to the core', () => {
    const { acks, requests, receive } = setup();
    receive(request('INVITE'));
    requests[0]!.transaction.respond(buildResponse(requests[0]!.request, 200, { toTag: 't' }));
    receive(request('ACK', { Via: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKack2', CSeq: '5 ACK' }));
    expect(acks).toHaveLength(1);
  });

  it('matches responses to client transactions by branch and method, the rest are stray', () => {
    const { layer, strays } = setup();
    const bye = request('BYE', { Via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKmine' });
    const got: number[] = [];
    layer.sendRequest(bye, false, () => Promise.resolve(), { onResponse: (r) => got.push(r.status), onTimeout: () => undefined, onTransportError: () => undefined });
    layer.receiveResponse(buildResponse(bye, 200), FLOW);
    const other = request('BYE', { Via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnotmine' });
    layer.receiveResponse(buildResponse(other, 200), FLOW);
    expect(got).toEqual([200]);
    expect(strays).toHaveLength(1);
  });

  it('forgets ended transactions and refuses new ones with 503 when full', () => {
    const { clock, layer, requests, sent, receive } = setup(1);
    receive(request('OPTIONS'));
    receive(request('OPTIONS', { 'Call-ID': 'layer-full' }));
    expect(sent.map((r) => r.status)).toEqual([503]);
    requests[0]!.transaction.respond(buildResponse(requests[0]!.request, 200));
    clock.advance(32_000);
    expect(layer.size.server).toBe(0);
    receive(request('OPTIONS', { 'Call-ID': 'layer-full' }));
    expect(requests).toHaveLength(2);
  });
});
