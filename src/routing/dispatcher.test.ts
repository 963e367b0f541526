import { describe, expect, it } from 'vitest';
import { Dispatcher, type WorkItem } from './dispatcher.ts';
import { testModel } from './test-model.ts';

const model = testModel({
  queues: [
    { id: 'general', priority: 0, offerTimeoutMs: 20_000 },
    { id: 'vip', priority: 10 },
    { id: 'cards', skills: ['cards'] },
  ],
  agents: [
    { id: 'ann', queues: ['general', 'vip'], capacity: { chat: 2, voice: 1 } },
    { id: 'bob', queues: ['general'], capacity: { chat: 1, voice: 0 } },
    { id: 'cid', queues: ['cards', 'general'], skills: ['cards'], languages: ['fr'], capacity: { chat: 1, voice: 0 } },
  ],
});

let n = 0;
function item(queue: string, since: number, extra: Partial<WorkItem> = {}): WorkItem {
  n++;
  return { escalationId: `e${n}`, conversationId: `c${n}`, queue, channel: 'chat', skills: [], since, ...extra };
}

describe('push assignment', () => {
  it('waits while nobody is available, then offers to the agent who comes available', () => {
    const d = new Dispatcher(model);
    const a = item('general', 0);
    expect(d.enqueue(a, 0)).toEqual([]);
    expect(d.queueSnapshot(5000).find((q) => q.queue === 'general')).toMatchObject({ waiting: 1, longestWaitMs: 5000 });
    const offers = d.setPresence('bob', 'available', 6000);
    expect(offers).toEqual([{ escalationId: a.escalationId, conversationId: a.conversationId, agentId: 'bob', queue: 'general', channel: 'chat', offeredAt: 6000, expiresAt: 26_000 }]);
    expect(d.queueSnapshot(6000).find((q) => q.queue === 'general')).toMatchObject({ waiting: 0, offered: 1 });
  });

  it('offers to the agent with the most free capacity, the longest idle among equals', () => {
    const d = new Dispatcher(model);
    d.setPresence('bob', 'available', 100);
    d.setPresence('ann', 'available', 200);
    // ann has 2 free chat slots, bob 1: ann first.
    expect(d.enqueue(item('general', 300), 300)[0]?.agentId).toBe('ann');
    // now both have 1 free; bob idle since 100, ann since 300 (her offer): bob.
    expect(d.enqueue(item('general', 400), 400)[0]?.agentId).toBe('bob');
    expect(d.enqueue(item('general', 500), 500)[0]?.agentId).toBe('ann');
    // everyone is full: the next one waits.
    expect(d.enqueue(item('general', 600), 600)).toEqual([]);
  });

  it('never offers beyond capacity per channel, and only to agents with the skills and language', () => {
    const d = new Dispatcher(model);
    d.setPresence('bob', 'available', 0);
    d.setPresence('cid', 'available', 0);
    expect(d.enqueue(item('general', 1, { channel: 'voice' }), 1)).toEqual([]); // bob has no voice capacity, cid neither
    expect(d.enqueue(item('cards', 2, { skills: ['cards'], language: 'en' }), 2)).toEqual([]); // cid speaks fr only
    expect(d.enqueue(item('cards', 3, { skills: ['cards'], language: 'fr-CA' }), 3)[0]?.agentId).toBe('cid');
  });

  it('re-offers a declined or timed-out customer to the next agent, keeping their place', () => {
    const d = new Dispatcher(model);
    d.setPresence('ann', 'available', 0);
    d.setPresence('bob', 'available', 10);
    const first = item('general', 100);
    expect(d.enqueue(first, 100)[0]?.agentId).toBe('ann');
    const next = d.decline(first.escalationId, 'ann', 200);
    expect(next.map((o) => [o.escalationId, o.agentId])).toEqual([[first.escalationId, 'bob']]);
    // bob lets it time out: nobody else may take it, it waits at the head with its original time.
    expect(d.decline(first.escalationId, 'bob', 300)).toEqual([]);
    expect(d.queueSnapshot(400).find((q) => q.queue === 'general')).toMatchObject({ waiting: 1, longestWaitMs: 300 });
    expect(d.placementOf(first.escalationId)).toEqual({ state: 'waiting' });
  });

  it('serves the higher-priority queue first, then the oldest customer', () => {
    const d = new Dispatcher(model);
    const oldGeneral = item('general', 0);
    const newVip = item('vip', 50);
    d.enqueue(oldGeneral, 0);
    d.enqueue(newVip, 50);
    const offers = d.setPresence('ann', 'available', 100);
    expect(offers.map((o) => o.escalationId)).toEqual([newVip.escalationId, oldGeneral.escalationId]);
  });

  it('frees capacity when work ends and gives the agent the next waiting customer', () => {
    const d = new Dispatcher(model);
    d.setPresence('bob', 'available', 0);
    const a = item('general', 0);
    const b = item('general', 1);
    d.enqueue(a, 0);
    d.enqueue(b, 1);
    expect(d.accept(a.escalationId, 'bob')).toBe(true);
    expect(d.accept(a.escalationId, 'ann')).toBe(false);
    const { agentId, offers } = d.release(a.escalationId, 500);
    expect(agentId).toBe('bob');
    expect(offers.map((o) => [o.escalationId, o.agentId])).toEqual([[b.escalationId, 'bob']]);
    expect(d.agentSnapshot().find((s) => s.id === 'bob')).toMatchObject({ load: { chat: 1, voice: 0 }, idleSince: 500 });
  });

  it('moves a customer to another queue and reports overflow due by waiting time', () => {
    const m = testModel({ queues: [{ id: 'a', overflow: { queue: 'b', afterMs: 1000 } }, { id: 'b' }], agents: [{ id: 'x', queues: ['b'] }] });
    const d = new Dispatcher(m);
    const w = item('a', 0);
    d.enqueue(w, 0);
    expect(d.overflowDue(999)).toEqual([]);
    expect(d.overflowDue(1000)).toEqual([{ escalationId: w.escalationId, to: 'b' }]);
    d.setPresence('x', 'available', 1000);
    const moved = d.move(w.escalationId, 'b', 1000, { keepWait: true });
    expect(moved.offers.map((o) => o.agentId)).toEqual(['x']);
    expect(d.itemOf(w.escalationId)).toMatchObject({ queue: 'b', since: 0 });
  });

  it('knows whether a queue is staffed: a member signed in with capacity on the channel', () => {
    const d = new Dispatcher(model);
    expect(d.staffed('general', 'chat')).toBe(false);
    d.setPresence('bob', 'away', 0);
    expect(d.staffed('general', 'chat')).toBe(true);
    expect(d.staffed('general', 'voice')).toBe(false);
    d.setPresence('bob', 'offline', 0);
    expect(d.staffed('general', 'chat')).toBe(false);
  });
});
