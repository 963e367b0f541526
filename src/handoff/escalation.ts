import type { EscalationContext } from '../core/action.ts';
import type { Channel } from '../core/bot.ts';
import { ParleyError } from '../errors.ts';

/**
 * The life cycle of a hand-off, stored with its timestamps:
 *
 *   requested → queued → offered → accepted → connected → ended
 *                  ↑         │ declined, timed out (re-offered to the next agent)
 *                  └─────────┘ transferred to another queue, overflowed
 *
 * `unavailable` ends a hand-off no queue could take; an external contact center's hand-off goes from queued to
 * connected when its connector has been signalled.
 */
export type EscalationStatus = 'requested' | 'queued' | 'offered' | 'accepted' | 'connected' | 'ended';

export type EscalationEventKind =
  | 'requested'
  | 'unavailable'
  | 'queued'
  | 'offered'
  | 'accepted'
  | 'declined'
  | 'timed-out'
  | 'connected'
  | 'transferred'
  | 'overflowed'
  | 'signalled'
  | 'ended';

/** What the bot handed over, with the customer's average sentiment. */
export interface HandoffContext extends EscalationContext {
  /** Mean sentiment of the customer's turns (−1 … 1), null when none was measured. */
  sentiment: number | null;
}

export interface EscalationRecord {
  id: string;
  conversationId: string;
  /** The bot that escalated (never the target of a transfer back to a bot). */
  botId: string;
  channel: Channel;
  /** The queue it is in now. */
  queue: string;
  /** The queue the bot's transfer node asked for. */
  requestedQueue: string;
  /** The routing rule that chose the queue; null when the requested queue was used. */
  rule: string | null;
  status: EscalationStatus;
  historyKey: string;
  /** The agent it is offered to or held by. */
  agentId: string | null;
  /** The external contact center's connector, for a queue served outside Parley. */
  connector: string | null;
  context: HandoffContext;
  skills: string[];
  language: string | null;
  /** The agent's wrap-up disposition. */
  disposition: string | null;
  endReason: string | null;
  requestedAt: string;
  queuedAt: string | null;
  offeredAt: string | null;
  acceptedAt: string | null;
  connectedAt: string | null;
  endedAt: string | null;
  /** Events recorded so far; also the optimistic-concurrency version. */
  eventCount: number;
}

export interface EscalationEvent {
  escalationId: string;
  seq: number;
  kind: EscalationEventKind;
  at: string;
  agentId: string | null;
  queue: string | null;
  detail: Record<string, unknown> | null;
}

/** From which statuses each event may happen. */
const allowed: Record<EscalationEventKind, readonly EscalationStatus[]> = {
  requested: [],
  unavailable: ['requested'],
  queued: ['requested'],
  offered: ['queued'],
  accepted: ['offered'],
  declined: ['offered'],
  'timed-out': ['offered'],
  connected: ['accepted', 'queued'],
  transferred: ['queued', 'offered', 'accepted', 'connected'],
  overflowed: ['queued'],
  signalled: ['queued', 'connected', 'ended'],
  ended: ['requested', 'queued', 'offered', 'accepted', 'connected'],
};

export interface Advance {
  kind: EscalationEventKind;
  at: string;
  agentId?: string;
  queue?: string;
  detail?: Record<string, unknown>;
  disposition?: string;
  endReason?: string;
}

/** Applies one life-cycle event: the new record and the event to store. Throws PARLEY_ERR_CONFLICT when the event cannot happen now. */
export function advance(record: EscalationRecord, step: Advance): { record: EscalationRecord; event: EscalationEvent } {
  if (!allowed[step.kind].includes(record.status)) {
    throw new ParleyError('PARLEY_ERR_CONFLICT', `the hand-off ${record.id} is ${record.status}; it cannot be ${step.kind} now`);
  }
  const next: EscalationRecord = { ...record, eventCount: record.eventCount + 1 };
  switch (step.kind) {
    case 'requested':
    case 'signalled':
      break;
    case 'unavailable':
      Object.assign(next, { status: 'ended', endedAt: step.at, endReason: step.endReason ?? 'unavailable' });
      break;
    case 'queued':
      Object.assign(next, { status: 'queued', queuedAt: step.at });
      break;
    case 'offered':
      Object.assign(next, { status: 'offered', offeredAt: step.at, agentId: step.agentId ?? null });
      break;
    case 'accepted':
      Object.assign(next, { status: 'accepted', acceptedAt: step.at });
      break;
    case 'declined':
    case 'timed-out':
      Object.assign(next, { status: 'queued', agentId: null });
      break;
    case 'connected':
      Object.assign(next, { status: 'connected', connectedAt: step.at });
      break;
    case 'transferred':
    case 'overflowed':
      Object.assign(next, { status: 'queued', agentId: null, queue: step.queue ?? record.queue });
      break;
    case 'ended':
      Object.assign(next, {
        status: 'ended',
        endedAt: step.at,
        endReason: step.endReason ?? 'ended',
        ...(step.disposition !== undefined ? { disposition: step.disposition } : {}),
      });
      break;
  }
  const event: EscalationEvent = {
    escalationId: record.id,
    seq: next.eventCount,
    kind: step.kind,
    at: step.at,
    agentId: step.agentId ?? (step.kind === 'ended' || step.kind === 'connected' || step.kind === 'accepted' ? record.agentId : null),
    queue: step.queue ?? next.queue,
    detail: step.detail ?? null,
  };
  return { record: next, event };
}
