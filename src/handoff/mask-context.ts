import type { EscalationContext } from '../core/action.ts';
import type { Masker } from '../runtime/masker.ts';
import type { ConversationRecord } from '../storage/port.ts';

/** The escalation context as it may be stored and shown: sensitive entities as `****`, PII patterns masked in every string. */
export function maskContext(masker: Masker, conversation: ConversationRecord, context: EscalationContext): EscalationContext {
  const state = conversation.state;
  const values = masker.sensitiveValues(state);
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return masker.text(v, values);
    if (Array.isArray(v)) return v.map(deep);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, state.sensitive.includes(k) ? '****' : deep(x)]));
    return v;
  };
  return {
    ...context,
    ...(context.message !== undefined ? { message: masker.text(context.message, values) } : {}),
    entities: masker.entities(context.entities, state),
    variables: deep(context.variables) as Record<string, unknown>,
    transferInfo: deep(context.transferInfo) as Record<string, Record<string, string>>,
  };
}
