import type { ConfirmNode, Dialog, PromptNode } from './bot.ts';
import { valueFromDigits } from './dtmf-value.ts';
import type { Input, RankedIntent, Understanding } from './input.ts';
import { askFor, escalateTo, fail, follow, runNode, startDialog, waitAtMenu } from './run-dialog.ts';
import type { Attempts } from './state.ts';
import type { Turn } from './turn.ts';

/** Input the customer gives while the bot waits for them. */
export type CustomerInput = Extract<Input, { type: 'text' | 'dtmf' | 'noInput' | 'noMatch' }>;

export function onCustomerInput(t: Turn, raw: CustomerInput): void {
  const input = belowAsrThreshold(t, raw) ? ({ type: 'noMatch' } as const) : raw;
  const top = t.state.stack[t.state.stack.length - 1];
  if (!top) return atMenu(t, input);
  const dialog = t.dialog(top.dialog);
  const node = t.node(top.dialog, top.node);
  if (node.type === 'prompt') return atPrompt(t, dialog, node, input);
  if (node.type === 'confirm') return atConfirm(t, dialog, node, input);
  fail(t);
}

/** Speech recognised with less confidence than the bot's ASR threshold counts as not understood. */
function belowAsrThreshold(t: Turn, input: CustomerInput): boolean {
  return (
    input.type === 'text' &&
    input.asrConfidence !== undefined &&
    input.asrConfidence * 100 < t.bot.settings.ivr.confidenceThreshold
  );
}

function topIntent(t: Turn, u: Understanding): RankedIntent | undefined {
  const best = u.intents[0];
  return best && best.confidence >= t.bot.settings.nluThreshold ? best : undefined;
}

function dialogForIntent(t: Turn, intent: string): Dialog | undefined {
  return Object.values(t.bot.dialogs).find((d) => d.intent === intent);
}

/** Entities the NLU found that the bot knows by name are kept (slot filling from the first sentence). */
function keepEntities(t: Turn, u: Understanding): void {
  for (const e of u.entities) {
    const def = t.bot.entities[e.name];
    if (!def) continue;
    t.set(`entities.${e.name}`, e.value);
    if (def.sensitive && !t.state.sensitive.includes(e.name)) t.state.sensitive.push(e.name);
  }
}

function atMenu(t: Turn, input: CustomerInput): void {
  const best = input.type === 'text' ? topIntent(t, input.understanding) : undefined;
  const dialog = best && dialogForIntent(t, best.name);
  if (input.type === 'text' && best && dialog) {
    t.state.menuAttempts = { noInput: 0, noMatch: 0 };
    t.state.lastIntent = best;
    t.extra.intent = best.name;
    t.state.vars.entities = {};
    t.state.sensitive = [];
    keepEntities(t, input.understanding);
    return startDialog(t, dialog.id, 'replace');
  }
  const kind = input.type === 'noInput' ? 'noInput' : 'noMatch';
  t.state.menuAttempts[kind]++;
  if (t.state.menuAttempts[kind] >= t.bot.settings.maxNotUnderstood) {
    if (kind === 'noMatch') return escalateTo(t, 'not-understood');
    t.say(t.bot.responses.goodbye);
    return t.end(t.state.completedDialogs > 0 ? 'resolved' : 'abandoned');
  }
  t.say(kind === 'noMatch' ? t.bot.responses.notUnderstood : t.bot.responses.anythingElse);
  waitAtMenu(t);
}

/** A new intent in the middle of a dialog starts its dialog on top; the interrupted one resumes later. */
function digress(t: Turn, current: Dialog, u: Understanding): boolean {
  const best = topIntent(t, u);
  if (!best || best.name === current.intent || !current.digressionOut) return false;
  const target = dialogForIntent(t, best.name);
  if (!target || !target.digressionIn || t.state.stack.some((f) => f.dialog === target.id)) return false;
  t.state.lastIntent = best;
  t.extra.intent = best.name;
  keepEntities(t, { ...u, entities: u.entities.filter((e) => t.state.vars.entities[e.name] === undefined) });
  startDialog(t, target.id, 'push');
  return true;
}

function atPrompt(t: Turn, dialog: Dialog, node: PromptNode, input: CustomerInput): void {
  const entity = t.bot.entities[node.entity];
  let value: unknown;
  if (input.type === 'text') {
    value = input.understanding.entities.find((e) => e.name === node.entity)?.value;
    if (value === undefined && digress(t, dialog, input.understanding)) return;
  } else if (input.type === 'dtmf' && entity) {
    value = valueFromDigits(entity, input.digits);
  }
  if (value !== undefined) {
    t.set(`entities.${node.variable}`, value);
    if ((node.sensitive || entity?.sensitive) && !t.state.sensitive.includes(node.variable)) {
      t.state.sensitive.push(node.variable);
    }
    return follow(t, dialog.id, node.next, node);
  }
  retry(t, dialog, node, input.type === 'noInput' ? 'noInput' : 'noMatch');
}

function atConfirm(t: Turn, dialog: Dialog, node: ConfirmNode, input: CustomerInput): void {
  let answer: unknown;
  if (input.type === 'text') {
    const u = input.understanding;
    const amended = u.amend ? u.entities.filter((e) => t.state.vars.entities[e.name] !== undefined) : [];
    if (amended.length > 0) {
      for (const e of amended) t.set(`entities.${e.name}`, e.value);
      return runNode(t, dialog, node);
    }
    answer = u.entities.find((e) => e.name === 'confirm')?.value;
    if (typeof answer !== 'boolean' && digress(t, dialog, u)) return;
  } else if (input.type === 'dtmf') {
    answer = input.digits.startsWith('1') ? true : input.digits.startsWith('2') ? false : undefined;
  }
  if (answer === true) return follow(t, dialog.id, node.onYes, node);
  if (answer === false) return follow(t, dialog.id, node.onNo, node);
  retry(t, dialog, node, input.type === 'noInput' ? 'noInput' : 'noMatch');
}

function retry(t: Turn, dialog: Dialog, node: PromptNode | ConfirmNode, kind: keyof Attempts): void {
  const frame = t.state.stack[t.state.stack.length - 1];
  if (!frame) return fail(t);
  const count = ++frame.attempts[kind];
  if (count > node.retries) return exhausted(t, dialog, node);
  const prompts = kind === 'noInput' ? node.noInput : node.noMatch;
  const reprompt = prompts[Math.min(count, prompts.length) - 1];
  if (reprompt) {
    t.say(reprompt);
  } else {
    if (kind === 'noMatch') t.say(t.bot.responses.notUnderstood);
    t.say(node.prompt);
  }
  askFor(t, dialog, node);
}

function exhausted(t: Turn, dialog: Dialog, node: PromptNode | ConfirmNode): void {
  const what = node.onExhausted;
  switch (what.action) {
    case 'escalate':
      return escalateTo(t, 'retries-exhausted');
    case 'end':
      t.say(t.bot.responses.goodbye);
      return t.end('abandoned');
    case 'goto':
      return follow(t, dialog.id, [{ goto: what.target }], node);
  }
}
