import type { Action } from '../action.ts';
import type { Bot } from '../bot.ts';
import type { Input, Understanding } from '../input.ts';
import { initialState, type ConversationState } from '../state.ts';
import { step } from '../step.ts';

/**
 * A scripted-conversation harness for the pure engine: send inputs, read what the bot said and did.
 *   const c = converse(bot); c.start(); c.text('pay my bill', intent('make_payment'));
 *   expect(c.said()).toContain('How much');
 */
export function converse(bot: Bot, session: Record<string, unknown> = {}) {
  let state: ConversationState = initialState({ session, bot: bot.variables });
  let last: Action[] = [];
  const send = (input: Input) => {
    const r = step(bot, state, input);
    state = r.state;
    last = r.actions;
    return api;
  };
  const api = {
    get state() {
      return state;
    },
    get actions() {
      return last;
    },
    start: () => send({ type: 'start' }),
    text: (text: string, understanding: Understanding = { intents: [], entities: [] }, asrConfidence?: number) =>
      send({ type: 'text', text, understanding, ...(asrConfidence !== undefined ? { asrConfidence } : {}) }),
    dtmf: (digits: string) => send({ type: 'dtmf', digits }),
    noInput: () => send({ type: 'noInput' }),
    noMatch: () => send({ type: 'noMatch' }),
    hangup: () => send({ type: 'hangup' }),
    event: (name: string) => send({ type: 'event', name }),
    send,
    /** The texts the bot said in the last step, joined. */
    said: () => last.flatMap((a) => (a.type === 'say' ? [a.prompt.text] : [])).join(' '),
    /** The action of a type from the last step. */
    action: <T extends Action['type']>(type: T) => last.find((a): a is Extract<Action, { type: T }> => a.type === type),
  };
  return api;
}

export function intent(name: string, confidence = 0.9, entities: Understanding['entities'] = []): Understanding {
  return { intents: [{ name, confidence }], entities };
}

export function entity(name: string, value: unknown, extra: Partial<Understanding> = {}): Understanding {
  return { intents: [], entities: [{ name, value, text: String(value) }], ...extra };
}
