import type { Action } from './action.ts';
import { cloneState } from './clone-state.ts';
import type { Bot } from './bot.ts';
import { onCustomerInput } from './collect.ts';
import type { EscalationResult, Input, ServiceResult } from './input.ts';
import { dialogDone, fail, follow, startDialog, waitAtMenu } from './run-dialog.ts';
import type { ConversationState } from './state.ts';
import { Turn } from './turn.ts';

export interface StepResult {
  state: ConversationState;
  actions: Action[];
}

/**
 * The dialog engine: a pure, deterministic function of the bot, the state and one input.
 * It never performs I/O; service calls and hand-offs are actions whose results come back as inputs.
 * The given state is not modified.
 */
export function step(bot: Bot, state: ConversationState, input: Input): StepResult {
  if (state.status === 'ended') return { state, actions: [] };
  const t = new Turn(bot, cloneState(state));
  t.state.turns++;
  try {
    dispatch(t, input);
  } catch (err) {
    // A broken bot (a loop, a bad expression) must not leave the customer in silence.
    if (!(err instanceof Error)) throw err;
    t.actions.length = 0;
    t.state.stack = [];
    t.visits = 0;
    recoverFromError(t);
  }
  return { state: t.state, actions: t.actions };
}

function recoverFromError(t: Turn): void {
  try {
    fail(t);
  } catch {
    t.actions.length = 0;
    t.say(t.bot.responses.error);
    t.end('abandoned');
  }
}

function dispatch(t: Turn, input: Input): void {
  const waiting = t.state.waiting;
  switch (input.type) {
    case 'start':
      if (t.state.turns > 1) return;
      t.say(t.bot.responses.greeting);
      if (t.bot.welcomeDialog) return startDialog(t, t.bot.welcomeDialog, 'replace');
      return waitAtMenu(t);
    case 'hangup':
      return hangup(t, input.reason);
    case 'serviceResult':
      if (waiting.for === 'service' && waiting.requestId === input.requestId) return serviceResult(t, input);
      return;
    case 'escalationResult':
      if (waiting.for === 'escalation') return escalationResult(t, input);
      return;
    case 'event':
      return event(t, input.name);
    case 'text':
    case 'dtmf':
    case 'noInput':
    case 'noMatch':
      if (t.state.status !== 'active' || waiting.for !== 'input') return;
      return onCustomerInput(t, input);
  }
}

/**
 * A hang-up ends the conversation: escalated if a human had it, resolved if the bot finished a dialog for the
 * customer, abandoned otherwise — and always abandoned when the channel hung up because of an error.
 */
function hangup(t: Turn, reason?: string): void {
  if (reason === 'error') return t.end('abandoned');
  if (t.state.status === 'escalated') return t.end('escalated');
  t.end(t.state.completedDialogs > 0 ? 'resolved' : 'abandoned');
}

/** Errors reported by the channel (`error`, `error.*`) take the error path; other events start their dialog. */
function event(t: Turn, name: string): void {
  const dialog = Object.values(t.bot.dialogs).find((d) => d.event === name);
  if (dialog) return startDialog(t, dialog.id, 'replace');
  if (name === 'error' || name.startsWith('error.')) return fail(t);
}

function serviceResult(t: Turn, input: ServiceResult): void {
  const waiting = t.state.waiting as Extract<ConversationState['waiting'], { for: 'service' }>;
  const node = t.node(waiting.dialog, waiting.node);
  t.state.waiting = { for: 'nothing' };
  if (node.type !== 'service') return fail(t);
  if (!input.ok) {
    if (node.onError) return follow(t, waiting.dialog, [{ goto: node.onError }], node);
    return fail(t);
  }
  const response = { status: input.status, body: input.body, headers: input.headers ?? {} };
  t.extra.response = response;
  for (const { variable, path } of node.response) {
    t.set(variable, path.split('.').reduce<unknown>(readKey, response));
  }
  follow(t, waiting.dialog, node.next, node);
}

function readKey(cur: unknown, key: string): unknown {
  return cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
}

function escalationResult(t: Turn, input: EscalationResult): void {
  const waiting = t.state.waiting as Extract<ConversationState['waiting'], { for: 'escalation' }>;
  const node = waiting.dialog ? t.node(waiting.dialog, waiting.node) : undefined;
  const transferNode = node?.type === 'transfer' ? node : undefined;
  t.state.waiting = { for: 'nothing' };
  if (input.historyKey) t.state.vars.session.historyKey = input.historyKey;
  if (input.available) {
    t.state.vars.session.escalationQueue = input.queue ?? waiting.queue;
    t.say(transferNode?.agentAvailable ?? t.bot.responses.agentAvailable);
    t.state.status = 'escalated';
    t.state.outcome = 'escalated';
    t.state.stack = [];
    return;
  }
  t.say(transferNode?.agentUnavailable ?? t.bot.responses.agentUnavailable);
  if (transferNode?.onUnavailable && node) {
    return follow(t, waiting.dialog, [{ goto: transferNode.onUnavailable }], node);
  }
  if (transferNode) return dialogDone(t, false);
  t.state.stack = [];
  waitAtMenu(t);
}
