/**
 * What one engine step means for a VoiceXML document: the actions folded, through a handler for every
 * action type, into prompts to play and how the document ends (collect input, hand control back, or ask
 * Parley to continue).
 */
import type { Action, ActionHandlers, AskAction, EscalationContext, Outcome } from '../../core/action.ts';
import type { Prompt } from '../../core/bot.ts';

export type Finish =
  | { kind: 'end'; outcome?: Outcome; hangup: boolean }
  | { kind: 'escalate'; queue: string; context: EscalationContext; outcome?: Outcome; hangup: boolean }
  | { kind: 'transfer'; target: string; context: EscalationContext; outcome?: Outcome; hangup: boolean };

export type DocumentPlan =
  /** Play the prompts, then collect the caller's answer in a field and submit it. */
  | { kind: 'ask'; lead: Prompt[]; question?: Prompt; ask: AskAction }
  /** Play the prompts, then `<return>` to the calling IVR. */
  | { kind: 'return'; prompts: Prompt[]; finish: Finish }
  /** Play the prompts, then submit `continue`: the step left the conversation waiting on Parley itself. */
  | { kind: 'continue'; prompts: Prompt[] };

interface Fold {
  prompts: Prompt[];
  /** Index in `prompts` where the prompts after the last ask start. */
  askAt: number;
  ask?: AskAction;
  finish?: Finish;
}

function handlers(fold: Fold): ActionHandlers<void> {
  return {
    say: (a) => {
      fold.prompts.push(a.prompt);
    },
    ask: (a) => {
      fold.ask = a;
      fold.askAt = fold.prompts.length;
      // A later ask means an earlier hand-off did not happen (no agent available, back to the menu).
      fold.finish = undefined;
    },
    setVariable: () => {},
    callService: () => {},
    escalate: (a) => {
      fold.finish = { kind: 'escalate', queue: a.queue, context: a.context, hangup: fold.finish?.hangup ?? false };
    },
    transfer: (a) => {
      fold.finish = { kind: 'transfer', target: a.target, context: a.context, hangup: fold.finish?.hangup ?? false };
    },
    hangup: () => {
      fold.finish = fold.finish ? { ...fold.finish, hangup: true } : { kind: 'end', hangup: true };
    },
    end: (a) => {
      fold.finish = fold.finish ? { ...fold.finish, outcome: a.outcome } : { kind: 'end', outcome: a.outcome, hangup: false };
    },
  };
}

function run<K extends Action['type']>(h: ActionHandlers<void>, action: Extract<Action, { type: K }>): void {
  (h[action.type] as (a: typeof action) => void)(action);
}

/**
 * The document plan for the actions of one step (or of several steps run back to back). The last `say`
 * before the `ask` is taken as the question: it is the prompt `<reprompt/>` plays again.
 */
export function planDocument(actions: readonly Action[]): DocumentPlan {
  const fold: Fold = { prompts: [], askAt: 0 };
  const h = handlers(fold);
  for (const action of actions) run(h, action);
  if (fold.finish) return { kind: 'return', prompts: fold.prompts, finish: fold.finish };
  if (fold.ask) {
    const before = fold.prompts.slice(0, fold.askAt);
    const after = fold.prompts.slice(fold.askAt);
    const question = before.pop();
    return question ? { kind: 'ask', lead: [...before, ...after], question, ask: fold.ask } : { kind: 'ask', lead: after, ask: fold.ask };
  }
  return { kind: 'continue', prompts: fold.prompts };
}
