import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/sip/fake-clock.ts';
import type { SipRequest } from './message.ts';
import { createRequest } from './message.ts';
import type { ReferEvent } from './refer-subscription.ts';
import { ReferSubscription, referEventId } from './refer-subscription.ts';
import { buildResponse } from './response-builder.ts';
import { parseSipfragStatus } from './sipfrag.ts';

const notify = (state: string, body: string): SipRequest =>
  createRequest('NOTIFY', 'sip:bank@parley.example', [{ name: 'Event', value: 'refer' }, { name: 'Subscription-State', value: state }, { name: 'Content-Type', value: 'message/sipfrag' }], body);

async function collect(subscription: ReferSubscription): Promise<ReferEvent[]> {
  const events: ReferEvent[] = [];
  for await (const event of subscription) events.push(event);
  return events;
}

describe('ReferSubscription', () => {
  it('reports acceptance, each sipfrag status, and ends on the final one', async () => {
    const subscription = new ReferSubscription('7', new FakeClock(), 32_000);
    subscription.answered(buildResponse(createRequest('REFER', 'sip:x@y'), 202));
    expect(subscription.notify(notify('active;expires=60', 'SIP/2.0 100 Trying\r\n'))).toBe(200);
    expect(subscription.notify(notify('active', 'SIP/2.0 180 Ringing\r\n'))).toBe(200);
    expect(subscription.notify(notify('terminated;reason=noresource', 'SIP/2.0 486 Busy Here\r\nVia: x\r\n'))).toBe(200);
    expect(subscription.notify(notify('active', 'SIP/2.0 200 OK'))).toBe(481);
    await expect(collect(subscription)).resolves.toEqual([
      { type: 'accepted', status: 202 },
      { type: 'progress', status: 100, reason: 'Trying', final: false },
      { type: 'progress', status: 180, reason: 'Ringing', final: false },
      { type: 'progress', status: 486, reason: 'Busy Here', final: true },
      { type: 'ended', reason: 'final' },
    ]);
  });

  it('ends at once when the REFER is refused', async () => {
    const subscription = new ReferSubscription('7', new FakeClock(), 32_000);
    subscription.answered(buildResponse(createRequest('REFER', 'sip:x@y'), 403));
    await expect(collect(subscription)).resolves.toEqual([{ type: 'rejected', status: 403, reason: 'Forbidden' }, { type: 'ended', reason: 'rejected' }]);
  });

  it('ends after a silence longer than the idle timeout, and on abort', async () => {
    const clock = new FakeClock();
    const quiet = new ReferSubscription('1', clock, 1_000);
    clock.advance(999);
    quiet.notify(notify('active', 'SIP/2.0 100 Trying'));
    clock.advance(999);
    expect(quiet.ended).toBe(false);
    clock.advance(1);
    expect((await collect(quiet)).at(-1)).toEqual({ type: 'ended', reason: 'timeout' });

    const controller = new AbortController();
    const aborted = new ReferSubscription('2', clock, 1_000, controller.signal);
    controller.abort();
    await expect(collect(aborted)).resolves.toEqual([{ type: 'ended', reason: 'aborted' }]);
  });

  it('answers 400 to a NOTIFY whose body is not a sipfrag', () => {
    const subscription = new ReferSubscription('7', new FakeClock(), 32_000);
    expect(subscription.notify(notify('active', '<xml/>'))).toBe(400);
  });
});

describe('Event and sipfrag parsing', () => {
  it('recognises the refer package and its id', () => {
    expect(referEventId('refer;id=93809824')).toEqual({ id: '93809824' });
    expect(referEventId('Refer')).toEqual({});
    expect(referEventId('presence')).toBeUndefined();
  });

  it('reads the status line of a sipfrag', () => {
    expect(parseSipfragStatus('SIP/2.0 603 Declined\r\n')).toEqual({ status: 603, reason: 'Declined' });
    expect(parseSipfragStatus('INVITE sip:a@b SIP/2.0')).toBeUndefined();
  });
});
