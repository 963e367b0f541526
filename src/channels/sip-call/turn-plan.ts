import type { Action, ActionHandlers, AskAction, Outcome } from '../../core/action.ts';
import type { Prompt } from '../../core/bot.ts';

/**
 * What the bot's actions of one turn ask of a call: prompts to speak (the voice variant, which may be
 * SSML), then at most one of: a question to wait on, a hand-off, a hang-up. A handler per action type, so a
 * new action breaks this build until the call layer knows what to do with it.
 */
export interface TurnPlan {
  prompts: string[];
  ask?: AskAction;
  /** The bot asked routing for a human (the conversation is escalated if one was available). */
  escalated: boolean;
  /** A transfer node with an explicit SIP or phone target. */
  transferTo?: string;
  hangup: boolean;
  end?: Outcome;
}

/** The words a prompt says on a call: its voice variant (perhaps SSML), else its text. */
export function spokenText(prompt: Prompt): string {
  return prompt.voice ?? prompt.text;
}

export function planTurn(actions: readonly Action[]): TurnPlan {
  const plan: TurnPlan = { prompts: [], escalated: false, hangup: false };
  const handlers: ActionHandlers<void> = {
    say: (a) => void plan.prompts.push(spokenText(a.prompt)),
    ask: (a) => void (plan.ask = a),
    setVariable: () => undefined,
    // Performed by the conversation service inside the turn; its result is already in these actions.
    callService: () => undefined,
    escalate: () => void (plan.escalated = true),
    transfer: (a) => void (plan.transferTo = a.target),
    hangup: () => void (plan.hangup = true),
    end: (a) => void (plan.end = a.outcome),
  };
  for (const action of actions) (handlers[action.type] as (a: Action) => void)(action);
  return plan;
}
