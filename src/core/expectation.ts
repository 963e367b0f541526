import type { Expectation } from './action.ts';
import type { Bot } from './bot.ts';
import type { ConversationState } from './state.ts';

export interface CurrentExpectation {
  expect: Expectation;
  /** The customer's answer must be masked in transcripts and logs. */
  sensitive: boolean;
}

/** What the bot is waiting for now: channels ask the NLU for it and mask sensitive answers. */
export function currentExpectation(bot: Bot, state: ConversationState): CurrentExpectation {
  const top = state.stack[state.stack.length - 1];
  const node = top ? bot.dialogs[top.dialog]?.nodes.find((n) => n.id === top.node) : undefined;
  if (node?.type === 'prompt') {
    const entity = bot.entities[node.entity];
    if (entity) return { expect: { kind: 'entity', entity }, sensitive: node.sensitive || entity.sensitive };
  }
  if (node?.type === 'confirm') return { expect: { kind: 'confirm' }, sensitive: false };
  return { expect: { kind: 'intent' }, sensitive: false };
}
