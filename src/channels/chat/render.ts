import type { Action, ActionHandlers } from '../../core/action.ts';
import type { Button } from '../../core/bot.ts';

/** What the chat channel shows for the bot's actions. */
export type ChatMessage =
  | { type: 'message'; text: string; buttons?: Button[] }
  | { type: 'event'; name: 'escalated' | 'transferred' | 'ended'; queue?: string; outcome?: string };

const handlers: ActionHandlers<ChatMessage | undefined> = {
  say: (a) => ({ type: 'message', text: a.prompt.text, ...(a.prompt.buttons?.length ? { buttons: a.prompt.buttons } : {}) }),
  ask: () => undefined,
  setVariable: () => undefined,
  callService: () => undefined,
  escalate: (a) => ({ type: 'event', name: 'escalated', queue: a.queue }),
  transfer: () => ({ type: 'event', name: 'transferred' }),
  hangup: () => ({ type: 'event', name: 'ended' }),
  end: (a) => ({ type: 'event', name: 'ended', outcome: a.outcome }),
};

/** Renders actions as chat messages: the chat channel's whole transport mapping. */
export function renderChat(actions: Action[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const a of actions) {
    const m = (handlers[a.type] as (x: Action) => ChatMessage | undefined)(a);
    if (m) out.push(m);
  }
  return out;
}

/** The text messages only, as the REST API returns them. */
export function textMessages(actions: Action[]): Array<{ text: string; buttons?: Button[] }> {
  return renderChat(actions).flatMap((m) => (m.type === 'message' ? [{ text: m.text, ...(m.buttons ? { buttons: m.buttons } : {}) }] : []));
}
