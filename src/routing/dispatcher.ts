import { AgentSlot, better } from './agent-slot.ts';
import type { Presence, QueueDef, RoutingModel, WorkChannel } from './model.ts';
import { WaitingList, type WaitingEntry } from './waiting-list.ts';

/** A customer handed over, as the dispatcher places it. */
export interface WorkItem {
  escalationId: string;
  conversationId: string;
  queue: string;
  channel: WorkChannel;
  /** Skills the agent must have. */
  skills: string[];
  /** The conversation's language (`en`); agents listing languages must speak it. */
  language?: string;
  /** When it started waiting (ms); kept across re-offers, so a declined customer keeps their place. */
  since: number;
}

export interface Offer {
  escalationId: string;
  conversationId: string;
  agentId: string;
  queue: string;
  channel: WorkChannel;
  offeredAt: number;
  /** When the offer times out (the queue's offer timeout). */
  expiresAt: number;
}

type Placement = { state: 'waiting' } | { state: 'offered'; agentId: string } | { state: 'assigned'; agentId: string };

interface Tracked {
  item: WorkItem & WaitingEntry;
  placement: Placement;
  /** Agents who declined or let the offer time out: not offered this customer again in this queue. */
  excluded: Set<string>;
}

export interface QueueSnapshot {
  queue: string;
  waiting: number;
  /** Of the customer waiting longest, 0 when nobody waits. */
  longestWaitMs: number;
  offered: number;
  assigned: number;
  agentsSignedIn: number;
  agentsAvailable: number;
}

export interface AgentSnapshot {
  id: string;
  name: string;
  presence: Presence;
  load: { chat: number; voice: number };
  capacity: { chat: number; voice: number };
  idleSince: number;
  work: string[];
}

/**
 * Push assignment, in memory and without I/O: customers wait per queue (oldest first); an offer goes to the
 * signed-in, available member agent with the most free capacity on the channel, the longest idle among equals.
 * An offer holds capacity until accepted (it stays held), declined or timed out (it goes to the next agent).
 * Every method returns the offers it made; the caller persists and delivers them and arms their timeouts.
 */
export class Dispatcher {
  private queues = new Map<string, QueueDef>();
  private readonly agents = new Map<string, AgentSlot>();
  private members = new Map<string, AgentSlot[]>();
  private readonly waiting = new Map<string, WaitingList<WorkItem & WaitingEntry>>();
  private readonly tracked = new Map<string, Tracked>();
  private queueOrder: QueueDef[] = [];

  constructor(model: RoutingModel) {
    this.setModel(model);
  }

  /** Applies a new model: queues, agent profiles and memberships; presence and work in hand are kept. */
  setModel(model: RoutingModel): void {
    this.queues = new Map(model.queues.map((q) => [q.id, q]));
    this.queueOrder = [...model.queues].sort((a, b) => b.priority - a.priority);
    const ids = new Set(model.agents.map((a) => a.id));
    for (const profile of model.agents) {
      const slot = this.agents.get(profile.id);
      if (slot) slot.setProfile(profile);
      else this.agents.set(profile.id, new AgentSlot(profile));
    }
    for (const [id, slot] of this.agents) if (!ids.has(id)) slot.presence = 'offline';
    this.members = new Map(model.queues.map((q) => [q.id, [] as AgentSlot[]]));
    for (const slot of this.agents.values()) {
      if (!ids.has(slot.id)) continue;
      for (const q of slot.profile.queues) this.members.get(q)?.push(slot);
    }
  }

  hasAgent(agentId: string): boolean {
    return this.agents.has(agentId);
  }

  presenceOf(agentId: string): Presence {
    return this.agents.get(agentId)?.presence ?? 'offline';
  }

  /** Sets an agent's presence; becoming available starts their idle time and offers them waiting work. */
  setPresence(agentId: string, presence: Presence, now: number): Offer[] {
    const slot = this.agents.get(agentId);
    if (!slot) return [];
    const was = slot.presence;
    slot.presence = presence;
    if (presence === 'available' && was !== 'available') {
      slot.idleSince = Math.max(slot.idleSince, now);
      return this.drain(slot, now);
    }
    return [];
  }

  /** Can the queue take a customer on this channel now: open is the caller's check; here, a member agent signed in with capacity for the channel. */
  staffed(queueId: string, channel: WorkChannel): boolean {
    return (this.members.get(queueId) ?? []).some((a) => a.signedIn && a.profile.capacity[channel] > 0);
  }

  /** Adds a customer to their queue and offers them to the best agent free now, if any. */
  enqueue(item: WorkItem, now: number): Offer[] {
    this.forget(item.escalationId);
    const tracked: Tracked = { item: { ...item }, placement: { state: 'waiting' }, excluded: new Set() };
    this.tracked.set(item.escalationId, tracked);
    this.list(item.queue).add(tracked.item);
    const offer = this.offerToBestAgent(tracked, now);
    return offer ? [offer] : [];
  }

  /** The agent takes the offer: the work stays held against their capacity. */
  accept(escalationId: string, agentId: string): boolean {
    const t = this.tracked.get(escalationId);
    if (!t || t.placement.state !== 'offered' || t.placement.agentId !== agentId) return false;
    t.placement = { state: 'assigned', agentId };
    return true;
  }

  /** The agent declines, or the offer timed out: the customer goes to the next agent; the agent may get other work. */
  decline(escalationId: string, agentId: string, now: number): Offer[] {
    const t = this.tracked.get(escalationId);
    if (!t || t.placement.state !== 'offered' || t.placement.agentId !== agentId) return [];
    const slot = this.agents.get(agentId);
    slot?.drop(escalationId);
    t.excluded.add(agentId);
    t.placement = { state: 'waiting' };
    t.item = { ...t.item };
    this.list(t.item.queue).add(t.item);
    const offers: Offer[] = [];
    const next = this.offerToBestAgent(t, now);
    if (next) offers.push(next);
    if (slot) offers.push(...this.drain(slot, now));
    return offers;
  }

  /** The work is over (ended, or left the agent): capacity is freed and the agent gets the next customer. */
  release(escalationId: string, now: number): { agentId?: string; offers: Offer[] } {
    const t = this.tracked.get(escalationId);
    if (!t) return { offers: [] };
    this.forget(escalationId);
    if (t.placement.state === 'waiting') return { offers: [] };
    const slot = this.agents.get(t.placement.agentId);
    if (!slot) return { agentId: t.placement.agentId, offers: [] };
    slot.idleSince = now;
    return { agentId: slot.id, offers: this.drain(slot, now) };
  }

  /** Moves a customer to another queue (an agent's transfer, an overflow), releasing any agent who held them. */
  move(escalationId: string, queue: string, now: number, options: { keepWait?: boolean; skills?: string[] } = {}): { releasedAgent?: string; offers: Offer[] } {
    const t = this.tracked.get(escalationId);
    if (!t) return { offers: [] };
    const released = this.release(escalationId, now);
    const item: WorkItem = { ...t.item, queue, since: options.keepWait ? t.item.since : now, skills: options.skills ?? t.item.skills };
    const offers = [...released.offers, ...this.enqueue(item, now)];
    return { ...(released.agentId ? { releasedAgent: released.agentId } : {}), offers };
  }

  placementOf(escalationId: string): Placement | undefined {
    return this.tracked.get(escalationId)?.placement;
  }

  itemOf(escalationId: string): WorkItem | undefined {
    return this.tracked.get(escalationId)?.item;
  }

  /** Restores work an agent already holds (after a restart). */
  restoreAssigned(item: WorkItem, agentId: string): void {
    const slot = this.agents.get(agentId);
    this.tracked.set(item.escalationId, { item: { ...item }, placement: { state: 'assigned', agentId }, excluded: new Set() });
    slot?.hold(item.escalationId, item.channel);
  }

  /** Customers who waited past their queue's overflow time, with the queue they move to. */
  overflowDue(now: number): Array<{ escalationId: string; to: string }> {
    const due: Array<{ escalationId: string; to: string }> = [];
    for (const [queueId, list] of this.waiting) {
      const overflow = this.queues.get(queueId)?.overflow;
      if (overflow?.afterMs === undefined) continue;
      for (const e of list.entries()) {
        if (now - e.since < overflow.afterMs) break;
        due.push({ escalationId: e.escalationId, to: overflow.queue });
      }
    }
    return due;
  }

  queueSnapshot(now: number): QueueSnapshot[] {
    const counts = new Map<string, { offered: number; assigned: number }>();
    for (const t of this.tracked.values()) {
      if (t.placement.state === 'waiting') continue;
      const c = counts.get(t.item.queue) ?? { offered: 0, assigned: 0 };
      c[t.placement.state]++;
      counts.set(t.item.queue, c);
    }
    return [...this.queues.values()].map((q) => {
      const list = this.waiting.get(q.id);
      const first = list?.first();
      const members = this.members.get(q.id) ?? [];
      return {
        queue: q.id,
        waiting: list?.size ?? 0,
        longestWaitMs: first ? Math.max(0, now - first.since) : 0,
        offered: counts.get(q.id)?.offered ?? 0,
        assigned: counts.get(q.id)?.assigned ?? 0,
        agentsSignedIn: members.filter((a) => a.signedIn).length,
        agentsAvailable: members.filter((a) => a.presence === 'available').length,
      };
    });
  }

  agentSnapshot(): AgentSnapshot[] {
    return [...this.agents.values()].map((a) => ({
      id: a.id,
      name: a.profile.name,
      presence: a.presence,
      load: { ...a.load },
      capacity: { ...a.profile.capacity },
      idleSince: a.idleSince,
      work: [...a.work.keys()],
    }));
  }

  private list(queueId: string): WaitingList<WorkItem & WaitingEntry> {
    let list = this.waiting.get(queueId);
    if (!list) {
      list = new WaitingList();
      this.waiting.set(queueId, list);
    }
    return list;
  }

  /** Drops every trace of a customer: from their waiting list and from the agent holding them. */
  private forget(escalationId: string): void {
    const t = this.tracked.get(escalationId);
    if (!t) return;
    this.waiting.get(t.item.queue)?.remove(escalationId);
    if (t.placement.state !== 'waiting') this.agents.get(t.placement.agentId)?.drop(escalationId);
    this.tracked.delete(escalationId);
  }

  private offerToBestAgent(t: Tracked, now: number): Offer | undefined {
    const { item } = t;
    let best: AgentSlot | undefined;
    for (const slot of this.members.get(item.queue) ?? []) {
      if (t.excluded.has(slot.id) || !slot.canTake(item.channel, item.skills, item.language)) continue;
      if (!best || better(slot, best, item.channel)) best = slot;
    }
    return best ? this.offer(t, best, now) : undefined;
  }

  /** Offers an agent with free capacity the waiting customers of their queues: higher priority first, then oldest. */
  private drain(slot: AgentSlot, now: number): Offer[] {
    const offers: Offer[] = [];
    const mine = new Set(slot.profile.queues);
    while (slot.presence === 'available' && (slot.free('chat') > 0 || slot.free('voice') > 0)) {
      let pick: Tracked | undefined;
      let pickPriority = -Infinity;
      for (const q of this.queueOrder) {
        if (!mine.has(q.id)) continue;
        if (pick && q.priority < pickPriority) break;
        const candidate = this.firstEligible(q.id, slot);
        if (candidate && (!pick || q.priority > pickPriority || candidate.item.since < pick.item.since)) {
          pick = candidate;
          pickPriority = q.priority;
        }
      }
      if (!pick) break;
      offers.push(this.offer(pick, slot, now));
    }
    return offers;
  }

  private firstEligible(queueId: string, slot: AgentSlot): Tracked | undefined {
    const list = this.waiting.get(queueId);
    if (!list || list.size === 0) return undefined;
    for (const e of list.entries()) {
      const t = this.tracked.get(e.escalationId);
      if (!t || t.excluded.has(slot.id)) continue;
      if (slot.canTake(t.item.channel, t.item.skills, t.item.language)) return t;
    }
    return undefined;
  }

  private offer(t: Tracked, slot: AgentSlot, now: number): Offer {
    this.waiting.get(t.item.queue)?.remove(t.item.escalationId);
    t.placement = { state: 'offered', agentId: slot.id };
    slot.hold(t.item.escalationId, t.item.channel);
    slot.idleSince = now;
    const timeout = this.queues.get(t.item.queue)?.offerTimeoutMs ?? 30_000;
    return {
      escalationId: t.item.escalationId,
      conversationId: t.item.conversationId,
      agentId: slot.id,
      queue: t.item.queue,
      channel: t.item.channel,
      offeredAt: now,
      expiresAt: now + timeout,
    };
  }
}
