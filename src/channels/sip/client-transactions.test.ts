import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/sip/fake-clock.ts';
import { DEFAULT_TIMERS } from './clock.ts';
import type { ClientTransactionUser } from './client-transactions.ts';
import { InviteClientTransaction, NonInviteClientTransaction } from './client-transactions.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { createRequest } from './message.ts';
import { buildResponse } from './response-builder.ts';

function request(method: string): SipRequest {
  return createRequest(method, 'sip:caller@192.0.2.1', [
    { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKct;rport' },
    { name: 'From', value: '<sip:bank@parley.example>;tag=ours' },
    { name: 'To', value: '<sip:caller@example.com>;tag=theirs' },
    { name: 'Call-ID', value: 'ct-1' },
    { name: 'CSeq', value: `7 ${method}` },
    { name: 'Route', value: '<sip:proxy.example.com;lr>' },
  ]);
}

function setup(method: string, reliable = false) {
  const clock = new FakeClock();
  const sent: SipRequest[] = [];
  const events: string[] = [];
  const user: ClientTransactionUser = {
    onResponse: (r) => events.push(`response ${r.status}`),
    onTimeout: () => events.push('timeout'),
    onTransportError: (e) => events.push(`error ${e.message}`),
  };
  const ctx = { clock, timers: DEFAULT_TIMERS, reliable };
  const send = (r: SipRequest): Promise<void> => {
    sent.push(r);
    return Promise.resolve();
  };
  const req = request(method);
  const transaction = method === 'INVITE' ? new InviteClientTransaction('k', req, ctx, send, user) : new NonInviteClientTransaction('k', req, ctx, send, user);
  return { clock, sent, events, transaction, req };
}

const response = (req: SipRequest, status: number): SipResponse => buildResponse(req, status);

describe('INVITE client transaction', () => {
  it('retransmits with timer A (doubling) and times out at timer B (64*T1)', () => {
    const { clock, sent, events, transaction } = setup('INVITE');
    transaction.start();
    clock.advance(500 + 1_000 + 2_000 + 4_000 + 8_000 + 16_000);
    expect(sent).toHaveLength(7);
    expect(events).toEqual([]);
    clock.advance(32_000 - 31_500);
    expect(events).toEqual(['timeout']);
    expect(transaction.state).toBe('terminated');
  });

  it('stops retransmitting on a provisional response', () => {
    const { clock, sent, transaction, req } = setup('INVITE');
    transaction.start();
    transaction.receive(response(req, 180));
    clock.advance(60_000);
    expect(sent).toHaveLength(1);
    expect(transaction.state).toBe('proceeding');
  });

  it('ACKs an error response itself, with the INVITE branch, the response To and the Route, and again for copies', () => {
    const { clock, sent, events, transaction, req } = setup('INVITE');
    transaction.start();
    const busy = buildResponse(req, 486, { toTag: 'x' });
    busy.headers.set('To', '<sip:caller@example.com>;tag=theirs-final');
    transaction.receive(busy);
    transaction.receive(busy);
    expect(events).toEqual(['response 486']);
    const acks = sent.filter((r) => r.method === 'ACK');
    expect(acks).toHaveLength(2);
    expect(acks[0]!.headers.get('Via')).toBe(req.headers.get('Via'));
    expect(acks[0]!.headers.get('To')).toBe('<sip:caller@example.com>;tag=theirs-final');
    expect(acks[0]!.headers.get('CSeq')).toBe('7 ACK');
    expect(acks[0]!.headers.get('Route')).toBe('<sip:proxy.example.com;lr>');
    clock.advance(32_000);
    expect(transaction.state).toBe('terminated');
  });

  it('passes every 2xx up (the TU ACKs them) and lingers until timer M', () => {
    const { clock, events, transaction, req } = setup('INVITE');
    transaction.start();
    transaction.receive(response(req, 200));
    transaction.receive(response(req, 200));
    expect(events).toEqual(['response 200', 'response 200']);
    clock.advance(32_000);
    expect(transaction.state).toBe('terminated');
  });
});

describe('non-INVITE client transaction', () => {
  it('retransmits with timer E (doubling to T2, then every T2 once proceeding) and times out at timer F', () => {
    const { clock, sent, events, transaction, req } = setup('BYE');
    transaction.start();
    clock.advance(500 + 1_000 + 2_000 + 4_000); // 7500: sends at 0, 500, 1500, 3500, 7500
    expect(sent).toHaveLength(5);
    transaction.receive(response(req, 100));
    clock.advance(4_000);
    expect(sent).toHaveLength(6);
    clock.advance(32_000 - 11_500);
    expect(events).toEqual(['response 100', 'timeout']);
  });

  it('completes on a final response and lingers T4 (timer K); over TCP it neither retransmits nor lingers', () => {
    const udp = setup('INFO');
    udp.transaction.start();
    udp.transaction.receive(response(udp.req, 200));
    udp.clock.advance(4_999);
    expect(udp.transaction.state).toBe('completed');
    udp.clock.advance(1);
    expect(udp.transaction.state).toBe('terminated');

    const tcp = setup('INFO', true);
    tcp.transaction.start();
    tcp.clock.advance(10_000);
    expect(tcp.sent).toHaveLength(1);
    tcp.transaction.receive(response(tcp.req, 200));
    tcp.clock.advance(0);
    expect(tcp.transaction.state).toBe('terminated');
  });

  it('reports a transport error once and ends', async () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const transaction = new NonInviteClientTransaction('k', request('BYE'), { clock, timers: DEFAULT_TIMERS, reliable: false }, () => Promise.reject(new Error('unreachable')), {
      onResponse: () => events.push('response'),
      onTimeout: () => events.push('timeout'),
      onTransportError: (e) => events.push(e.message),
    });
    transaction.start();
    await Promise.resolve();
    await Promise.resolve();
    expect(events).toEqual(['unreachable']);
    expect(transaction.state).toBe('terminated');
  });
});
