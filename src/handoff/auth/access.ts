import type { EscalationEvent, EscalationRecord } from '../escalation.ts';
import type { Principal } from './people-service.ts';

/**
 * Who may see a conversation that was handed over: administrators all; supervisors those of their queues
 * (any queue the hand-off passed through); agents those offered to them.
 */
export function maySeeHandoff(p: Principal, escalations: EscalationRecord[], events: EscalationEvent[]): boolean {
  if (p.role === 'admin') return true;
  if (p.role === 'supervisor') {
    const queues = new Set([...escalations.map((e) => e.queue), ...events.map((e) => e.queue ?? '')]);
    return p.queues.some((q) => queues.has(q));
  }
  return p.agentId !== null && events.some((e) => e.kind === 'offered' && e.agentId === p.agentId);
}

/** A bot conversation (not handed over): administrators, and supervisors of a queue the bot is a first-line member of. */
export function maySeeBotConversation(p: Principal, botQueues: string[]): boolean {
  if (p.role === 'admin') return true;
  return p.role === 'supervisor' && p.queues.some((q) => botQueues.includes(q));
}

/** Supervisors see their queues; administrators every queue. */
export function queuesVisibleTo(p: Principal, all: string[]): string[] {
  if (p.role === 'admin') return all;
  if (p.role === 'supervisor') return all.filter((q) => p.queues.includes(q));
  return [];
}
