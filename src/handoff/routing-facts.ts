import type { EscalationContext } from '../core/action.ts';
import type { RoutingFacts } from '../routing/rules.ts';
import type { ConversationRecord } from '../storage/port.ts';

const scopeNames = new Set(['session', 'user']);

/**
 * What routing rules see of an escalating conversation. `context.*` holds the context variables: the session
 * scope overlaid with what the transfer node's `context:` adds (`context.requestedAgent`).
 */
export function routingFacts(conversation: ConversationRecord, queue: string, context: EscalationContext, language: string | undefined): RoutingFacts {
  const session = (context.variables.session as Record<string, unknown> | undefined) ?? conversation.state.vars.session;
  const user = (context.variables.user as Record<string, unknown> | undefined) ?? conversation.state.vars.user;
  const extra = Object.fromEntries(Object.entries(context.variables).filter(([k]) => !scopeNames.has(k)));
  return {
    channel: conversation.channel,
    bot: conversation.botId,
    ...(language !== undefined ? { language } : {}),
    ...(context.intent !== undefined ? { intent: context.intent } : {}),
    entities: context.entities,
    context: { ...session, ...extra },
    session,
    user,
    customer: { ...user, ...(conversation.customer !== null ? { id: conversation.customer } : {}) },
    queue,
    escalated: true,
    reason: context.reason,
  };
}
