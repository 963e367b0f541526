import type { EscalationContext } from '../core/action.ts';
import type { EscalationResult } from '../core/input.ts';
import type { ConversationRecord } from '../storage/port.ts';

export interface HandoffRequest {
  conversation: ConversationRecord;
  queue: string;
  context: EscalationContext;
}

/**
 * The hand-off port: where an escalation goes. The routing engine (queues, agents, external contact
 * centers) implements it; it answers whether a human can take the customer now.
 */
export interface HandoffPort {
  escalate(request: HandoffRequest): Promise<EscalationResult>;
}

/**
 * Hands every escalation to the channel's own transfer (the calling IVR or the SIP peer routes it) and
 * reports it as available; used when no routing engine is configured.
 */
export const channelHandoff: HandoffPort = {
  escalate: ({ conversation, queue }) =>
    Promise.resolve({ type: 'escalationResult', available: true, queue, historyKey: conversation.historyKey }),
};
