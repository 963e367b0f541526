import type { Outcome } from './action.ts';

export interface Attempts {
  noInput: number;
  noMatch: number;
}

/** One dialog in progress; the stack's top is the active one, those below were interrupted (digressions). */
export interface Frame {
  dialog: string;
  node: string;
  attempts: Attempts;
}

export type Waiting =
  | { for: 'input' }
  | { for: 'service'; requestId: string; dialog: string; node: string }
  | { for: 'escalation'; dialog: string; node: string; queue: string }
  | { for: 'nothing' };

export interface Variables {
  session: Record<string, unknown>;
  user: Record<string, unknown>;
  bot: Record<string, unknown>;
  entities: Record<string, unknown>;
}

export interface ConversationState {
  status: 'active' | 'escalated' | 'ended';
  outcome?: Outcome;
  stack: Frame[];
  waiting: Waiting;
  vars: Variables;
  /** Attempts while waiting at the main menu. */
  menuAttempts: Attempts;
  lastIntent?: { name: string; confidence: number };
  /** Names of entities whose values are sensitive (masked in transcripts). */
  sensitive: string[];
  /** Dialogs finished by the bot: a conversation with one or more is resolved when the caller leaves. */
  completedDialogs: number;
  /** Monotonic counter for service request ids. */
  seq: number;
  /** How many steps ran (a guard against loops inside one step). */
  turns: number;
}

export function initialState(init: {
  session?: Record<string, unknown>;
  user?: Record<string, unknown>;
  bot?: Record<string, unknown>;
}): ConversationState {
  return {
    status: 'active',
    stack: [],
    waiting: { for: 'nothing' },
    vars: {
      session: { ...(init.session ?? {}) },
      user: { ...(init.user ?? {}) },
      bot: { ...(init.bot ?? {}) },
      entities: {},
    },
    menuAttempts: { noInput: 0, noMatch: 0 },
    sensitive: [],
    completedDialogs: 0,
    seq: 0,
    turns: 0,
  };
}
