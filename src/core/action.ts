import type { GrammarRef, Prompt, ServiceRequest, VoiceProperties, EntityDef } from './bot.ts';

/** What the dialog engine asks a channel to do: a closed union. */

/** What kind of answer the bot waits for. */
export type Expectation =
  | { kind: 'intent' }
  | { kind: 'entity'; entity: EntityDef }
  | { kind: 'confirm' };

export interface AskAction {
  type: 'ask';
  /** `dialog/node`, or `menu` when waiting at the top level. */
  nodeRef: string;
  expect: Expectation;
  sensitive: boolean;
  voice: VoiceProperties;
  grammars: GrammarRef[];
  /** Prompts for the channel's own retry handling (VoiceXML `<noinput count=…>`). */
  noInput: Prompt[];
  noMatch: Prompt[];
  retries: number;
}

export interface EscalationContext {
  intent?: string;
  entities: Record<string, unknown>;
  variables: Record<string, unknown>;
  message?: string;
  transferInfo: Record<string, Record<string, string>>;
  reason: 'requested' | 'retries-exhausted' | 'not-understood' | 'error';
}

export type Action =
  | { type: 'say'; prompt: Prompt; sensitive?: boolean }
  | AskAction
  | { type: 'setVariable'; scope: 'session' | 'user' | 'entities'; name: string; value: unknown }
  | { type: 'callService'; requestId: string; request: ServiceRequest }
  | { type: 'escalate'; queue: string; context: EscalationContext }
  | { type: 'transfer'; target: string; context: EscalationContext }
  | { type: 'hangup' }
  | { type: 'end'; outcome: Outcome };

export type Outcome = 'resolved' | 'escalated' | 'abandoned';

export type ActionType = Action['type'];

/** A handler for every action: adding an action breaks each channel's build until it handles it. */
export type ActionHandlers<R> = { [K in ActionType]: (action: Extract<Action, { type: K }>) => R };
