import type { Presence } from '../routing/model.ts';
import type { Role } from './people.ts';

/** What the agent desktop and the supervisor view receive over their WebSocket. */
export type DeskFrame =
  | { type: 'hello'; person: { id: string; username: string; displayName: string; role: Role; agentId: string | null }; presence: Presence }
  | { type: 'presence'; presence: Presence }
  | { type: 'offer'; offer: unknown }
  | { type: 'offer-withdrawn'; escalationId: string; conversationId: string; reason: 'timed-out' | 'declined' | 'customer-left' | 'moved' }
  | { type: 'assigned'; escalationId: string; conversationId: string }
  | { type: 'turn'; conversationId: string; turn: unknown }
  | { type: 'ended'; escalationId: string; conversationId: string; reason: string }
  | { type: 'overview-changed' };

export interface LiveClient {
  personId: string;
  agentId: string | null;
  role: Role;
  /** The queues a supervisor oversees. */
  queues: readonly string[];
  send(frame: DeskFrame): void;
}

/**
 * Fan-out of live events to the people connected: an agent's own offers and conversations, and a "something
 * changed" nudge (throttled) to the supervisors of the queue concerned and to administrators, who then read
 * the overview again through the API (where access is checked).
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly byAgent = new Map<string, Set<LiveClient>>();
  private readonly changedQueues = new Set<string | null>();
  private nudge: NodeJS.Timeout | undefined;

  constructor(private readonly throttleMs = 1000) {}

  attach(client: LiveClient): () => void {
    this.clients.add(client);
    if (client.agentId !== null) {
      const set = this.byAgent.get(client.agentId) ?? new Set();
      set.add(client);
      this.byAgent.set(client.agentId, set);
    }
    return () => {
      this.clients.delete(client);
      if (client.agentId === null) return;
      const set = this.byAgent.get(client.agentId);
      set?.delete(client);
      if (set?.size === 0) this.byAgent.delete(client.agentId);
    };
  }

  connectionsOf(agentId: string): number {
    return this.byAgent.get(agentId)?.size ?? 0;
  }

  toAgent(agentId: string, frame: DeskFrame): void {
    for (const c of this.byAgent.get(agentId) ?? []) safeSend(c, frame);
  }

  toPerson(personId: string, frame: DeskFrame): void {
    for (const c of this.clients) if (c.personId === personId) safeSend(c, frame);
  }

  /** Tells the watchers of a queue (or of bot conversations, `null`) that the overview changed. */
  changed(queue: string | null): void {
    this.changedQueues.add(queue);
    if (this.nudge) return;
    this.nudge = setTimeout(() => {
      this.nudge = undefined;
      const queues = [...this.changedQueues];
      this.changedQueues.clear();
      for (const c of this.clients) {
        if (c.role === 'admin' || (c.role === 'supervisor' && queues.some((q) => q === null || c.queues.includes(q)))) safeSend(c, { type: 'overview-changed' });
      }
    }, this.throttleMs);
    this.nudge.unref();
  }

  close(): void {
    if (this.nudge) clearTimeout(this.nudge);
    this.clients.clear();
    this.byAgent.clear();
  }
}

function safeSend(c: LiveClient, frame: DeskFrame): void {
  try {
    c.send(frame);
  } catch {
    // a closed socket; its close handler detaches it
  }
}
