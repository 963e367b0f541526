import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/sip/fake-clock.ts';
import { DEFAULT_TIMERS } from './clock.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { createRequest } from './message.ts';
import { buildResponse } from './response-builder.ts';
import { InviteServerTransaction, NonInviteServerTransaction } from './server-transactions.ts';

function request(method: string): SipRequest {
  return createRequest(method, 'sip:bank@parley.example', [
    { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKst' },
    { name: 'From', value: '<sip:c@example.com>;tag=1' },
    { name: 'To', value: '<sip:bank@parley.example>' },
    { name: 'Call-ID', value: 'st-1' },
    { name: 'CSeq', value: `1 ${method}` },
  ]);
}

function setup<T>(make: (ctx: { clock: FakeClock; timers: typeof DEFAULT_TIMERS; reliable: boolean }, send: (r: SipResponse) => Promise<void>) => T, reliable = false) {
  const clock = new FakeClock();
  const sent: number[] = [];
  const transaction = make({ clock, timers: DEFAULT_TIMERS, reliable }, (response) => {
    sent.push(response.status);
    return Promise.resolve();
  });
  return { clock, sent, transaction };
}

describe('INVITE server transaction', () => {
  it('answers a retransmitted INVITE with the last provisional response', () => {
    const { sent, transaction } = setup((ctx, send) => new InviteServerTransaction('k', request('INVITE'), ctx, send));
    transaction.respond(buildResponse(transaction.request, 180, { toTag: 't' }));
    transaction.receive(request('INVITE'));
    expect(sent).toEqual([180, 180]);
  });

  it('retransmits an error response with timer G (T1, 2T1… capped at T2) until the ACK, then lingers T4 (timer I)', () => {
    const { clock, sent, transaction } = setup((ctx, send) => new InviteServerTransaction('k', request('INVITE'), ctx, send));
    let terminated = false;
    transaction.onTerminated = () => (terminated = true);
    transaction.respond(buildResponse(transaction.request, 486, { toTag: 't' }));
    clock.advance(500); // G fires at 500
    clock.advance(1_000); // 1500
    clock.advance(2_000); // 3500
    clock.advance(4_000); // 7500
    clock.advance(4_000); // 11500: capped at T2
    expect(sent).toEqual([486, 486, 486, 486, 486, 486]);
    expect(transaction.receive(request('ACK'))).toBe(false);
    expect(transaction.state).toBe('confirmed');
    clock.advance(10_000);
    expect(sent).toHaveLength(6);
    expect(terminated).toBe(true);
  });

  it('gives up at timer H (64*T1) without an ACK and says so', () => {
    const { clock, transaction } = setup((ctx, send) => new InviteServerTransaction('k', request('INVITE'), ctx, send));
    let timedOut = false;
    transaction.onAckTimeout = () => (timedOut = true);
    transaction.respond(buildResponse(transaction.request, 603, { toTag: 't' }));
    clock.advance(64 * 500 - 1);
    expect(timedOut).toBe(false);
    clock.advance(1);
    expect(timedOut).toBe(true);
    expect(transaction.state).toBe('terminated');
  });

  it('over TCP sends the error response once and ends right after the ACK', () => {
    const { clock, sent, transaction } = setup((ctx, send) => new InviteServerTransaction('k', request('INVITE'), ctx, send), true);
    transaction.respond(buildResponse(transaction.request, 486, { toTag: 't' }));
    clock.advance(10_000);
    transaction.receive(request('ACK'));
    clock.advance(0);
    expect(sent).toEqual([486]);
    expect(transaction.state).toBe('terminated');
  });

  it('after a 2xx (Accepted, RFC 6026) absorbs INVITE copies, passes ACKs up, and ends at timer L', () => {
    const { clock, sent, transaction } = setup((ctx, send) => new InviteServerTransaction('k', request('INVITE'), ctx, send));
    transaction.respond(buildResponse(transaction.request, 200, { toTag: 't' }));
    transaction.receive(request('INVITE'));
    expect(sent).toEqual([200]);
    expect(transaction.receive(request('ACK'))).toBe(true);
    clock.advance(64 * 500);
    expect(transaction.state).toBe('terminated');
  });
});

describe('non-INVITE server transaction', () => {
  it('ignores copies while trying, repeats the final response to copies, and lingers 64*T1 (timer J)', () => {
    const { clock, sent, transaction } = setup((ctx, send) => new NonInviteServerTransaction('k', request('OPTIONS'), ctx, send));
    transaction.receive(request('OPTIONS'));
    expect(sent).toEqual([]);
    transaction.respond(buildResponse(transaction.request, 200, { toTag: 't' }));
    transaction.receive(request('OPTIONS'));
    expect(sent).toEqual([200, 200]);
    clock.advance(64 * 500 - 1);
    expect(transaction.state).toBe('completed');
    clock.advance(1);
    expect(transaction.state).toBe('terminated');
    expect(() => transaction.respond(buildResponse(transaction.request, 500))).toThrow();
  });
});
