import type { Expectation } from './action.ts';
import type { ConfirmNode, Dialog, DialogNode, PromptNode, ServiceNode, Transition, TransferNode } from './bot.ts';
import { renderDeep } from './template.ts';
import type { Frame } from './state.ts';
import type { Turn } from './turn.ts';

/**
 * Running dialogs: node by node until the bot must wait (for the customer, a service or a hand-off)
 * or the conversation ends. Targets of transitions are a node id of the same dialog, `dialog:<id>`,
 * `menu` (this dialog is done) or `end`.
 */

export function startDialog(t: Turn, dialogId: string, mode: 'replace' | 'push'): void {
  const dialog = t.dialog(dialogId);
  const first = dialog.nodes[0];
  if (!first) return dialogDone(t);
  const frame: Frame = { dialog: dialogId, node: first.id, attempts: { noInput: 0, noMatch: 0 } };
  if (mode === 'replace') t.state.stack = [frame];
  else t.state.stack.push(frame);
  runNode(t, dialog, first);
}

/** Goes to a transition's target, or to the node after `from` when no branch matches. */
export function follow(t: Turn, dialogId: string, transition: Transition, from: DialogNode): void {
  const branch = transition.find((b) => b.if === undefined || t.test(b.if));
  goTo(t, dialogId, branch?.goto, from);
}

function goTo(t: Turn, dialogId: string, target: string | undefined, from: DialogNode): void {
  const dialog = t.dialog(dialogId);
  if (target === undefined) {
    const i = dialog.nodes.indexOf(from);
    const next = dialog.nodes[i + 1];
    return next ? enter(t, dialog, next) : dialogDone(t);
  }
  if (target === 'end') return t.end('resolved');
  if (target === 'menu') return dialogDone(t);
  if (target.startsWith('dialog:')) {
    t.state.stack.pop();
    return startDialog(t, target.slice('dialog:'.length), 'push');
  }
  const next = dialog.nodes.find((n) => n.id === target);
  if (!next) throw new Error(`unknown node ${dialogId}/${target}`);
  enter(t, dialog, next);
}

function enter(t: Turn, dialog: Dialog, node: DialogNode): void {
  const top = t.state.stack[t.state.stack.length - 1];
  if (top && top.dialog === dialog.id) {
    top.node = node.id;
    top.attempts = { noInput: 0, noMatch: 0 };
  } else {
    t.state.stack.push({ dialog: dialog.id, node: node.id, attempts: { noInput: 0, noMatch: 0 } });
  }
  runNode(t, dialog, node);
}

export function runNode(t: Turn, dialog: Dialog, node: DialogNode): void {
  t.visit(`${dialog.id}/${node.id}`);
  switch (node.type) {
    case 'message':
      t.say(node.prompt);
      return follow(t, dialog.id, node.next, node);
    case 'prompt':
      if (node.skipIfFilled && t.state.vars.entities[node.variable] !== undefined) {
        return follow(t, dialog.id, node.next, node);
      }
      t.say(node.prompt);
      return askFor(t, dialog, node);
    case 'confirm':
      t.say(node.prompt);
      return askFor(t, dialog, node);
    case 'logic':
      for (const { variable, value } of node.set) t.set(variable, t.evaluate(value));
      return follow(t, dialog.id, node.next, node);
    case 'service':
      return callService(t, dialog, node);
    case 'transfer':
      return transfer(t, dialog, node);
    case 'end':
      t.say(node.prompt ?? t.bot.responses.goodbye);
      return t.end(node.outcome);
  }
}

/** Emits the ask for a prompt or confirmation node (used again for re-prompts). */
export function askFor(t: Turn, dialog: Dialog, node: PromptNode | ConfirmNode): void {
  let expect: Expectation;
  let sensitive = false;
  if (node.type === 'prompt') {
    const entity = t.bot.entities[node.entity];
    if (!entity) throw new Error(`unknown entity ${node.entity}`);
    expect = { kind: 'entity', entity };
    sensitive = node.sensitive || entity.sensitive;
  } else {
    expect = { kind: 'confirm' };
  }
  t.ask({
    nodeRef: `${dialog.id}/${node.id}`,
    expect,
    sensitive,
    voice: node.voice,
    grammars: node.type === 'prompt' ? node.grammars : [],
    noInput: node.noInput,
    noMatch: node.noMatch,
    retries: node.retries,
  });
}

function callService(t: Turn, dialog: Dialog, node: ServiceNode): void {
  const requestId = `${dialog.id}/${node.id}#${++t.state.seq}`;
  const headers = Object.fromEntries(Object.entries(node.request.headers).map(([k, v]) => [k, t.render(v)]));
  t.actions.push({
    type: 'callService',
    requestId,
    request: {
      method: node.request.method,
      url: t.render(node.request.url),
      headers,
      ...(node.request.body !== undefined ? { body: renderDeep(node.request.body, t.lookup) } : {}),
      timeoutMs: node.request.timeoutMs,
    },
  });
  t.state.waiting = { for: 'service', requestId, dialog: dialog.id, node: node.id };
}

function transfer(t: Turn, dialog: Dialog, node: TransferNode): void {
  const context = t.escalationContext('requested', {
    ...(node.message !== undefined ? { message: t.render(node.message) } : {}),
    transferInfo: Object.fromEntries(
      Object.entries(node.transferInfo).map(([connector, data]) => [
        connector,
        Object.fromEntries(Object.entries(data).map(([k, v]) => [k, t.render(v)])),
      ]),
    ),
  });
  for (const { name, value } of node.context) context.variables[name] = t.evaluate(value);
  if (node.target !== undefined && node.queue === undefined) {
    t.actions.push({ type: 'transfer', target: t.render(node.target), context });
    t.state.status = 'escalated';
    t.state.outcome = 'escalated';
    t.state.waiting = { for: 'nothing' };
    return;
  }
  const queue = node.queue ?? t.bot.settings.defaultQueue;
  t.actions.push({ type: 'escalate', queue, context });
  t.state.waiting = { for: 'escalation', dialog: dialog.id, node: node.id, queue };
}

/**
 * The top dialog is finished: resume an interrupted one, or go back to the main menu. `completed` is false
 * when the dialog stopped without doing its job (no agent could take the customer): the bot does not count
 * it as resolved, and does not ask "anything else?" after a message that already asked.
 */
export function dialogDone(t: Turn, completed = true): void {
  t.state.stack.pop();
  const resumed = t.state.stack[t.state.stack.length - 1];
  if (resumed) {
    t.say(t.bot.responses.resume);
    const dialog = t.dialog(resumed.dialog);
    const node = t.node(resumed.dialog, resumed.node);
    return runNode(t, dialog, node);
  }
  if (completed) {
    t.state.completedDialogs++;
    t.say(t.bot.responses.anythingElse);
  }
  waitAtMenu(t);
}

export function waitAtMenu(t: Turn): void {
  t.state.stack = [];
  t.ask({
    nodeRef: 'menu',
    expect: { kind: 'intent' },
    sensitive: false,
    voice: {},
    grammars: [],
    noInput: [t.bot.responses.anythingElse],
    noMatch: [t.bot.responses.notUnderstood],
    // The engine gives up at the maxNotUnderstood-th miss, so a channel re-prompts one time less.
    retries: t.bot.settings.maxNotUnderstood - 1,
  });
}

/** Hands the customer to a human queue (retries exhausted, not understood, error). */
export function escalateTo(t: Turn, reason: 'retries-exhausted' | 'not-understood' | 'error'): void {
  const top = t.state.stack[t.state.stack.length - 1];
  const queue = t.bot.settings.defaultQueue;
  t.actions.push({ type: 'escalate', queue, context: t.escalationContext(reason) });
  t.state.waiting = { for: 'escalation', dialog: top?.dialog ?? '', node: top?.node ?? '', queue };
}

/** The bot-level error path: the error response, then the error dialog, an escalation or the end. */
export function fail(t: Turn): void {
  t.say(t.bot.responses.error);
  const handler = t.bot.errorHandler;
  if (handler.dialog && t.bot.dialogs[handler.dialog]) {
    t.state.stack = [];
    return startDialog(t, handler.dialog, 'replace');
  }
  if (handler.action === 'escalate') return escalateTo(t, 'error');
  t.end('abandoned');
}
