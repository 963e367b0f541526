import type { Action, AskAction, EscalationContext, Outcome } from './action.ts';
import type { Bot, Dialog, DialogNode, Prompt } from './bot.ts';
import { evaluate, parseExpression, truthy } from './expression.ts';
import { assignIn, lookupIn, scopes } from './scope.ts';
import type { ConversationState } from './state.ts';
import { renderTemplate, templateExpressions } from './template.ts';

/** Above this many node visits in one step the bot is looping: the error path takes over. */
export const maxNodeVisits = 200;

export class BotLoopError extends Error {
  constructor(where: string) {
    super(`the dialog visited more than ${maxNodeVisits} nodes in one turn (last: ${where}); check its transitions`);
    this.name = 'BotLoopError';
  }
}

/** The mutable working copy of one step: the state being changed and the actions produced so far. */
export class Turn {
  readonly actions: Action[] = [];
  visits = 0;
  /** Values that describe the current input, readable in expressions as `input.*` and `intent`. */
  readonly extra: Record<string, unknown> = {};

  constructor(
    readonly bot: Bot,
    readonly state: ConversationState,
  ) {
    this.extra.intent = state.lastIntent?.name;
  }

  lookup = (path: string[]): unknown => lookupIn(this.state.vars, this.extra, path);

  evaluate(src: string): unknown {
    return evaluate(parseExpression(src), this.lookup);
  }

  test(src: string): boolean {
    return truthy(this.evaluate(src));
  }

  dialog(id: string): Dialog {
    const d = this.bot.dialogs[id];
    if (!d) throw new Error(`unknown dialog ${id}`);
    return d;
  }

  node(dialogId: string, nodeId: string): DialogNode {
    const n = this.dialog(dialogId).nodes.find((x) => x.id === nodeId);
    if (!n) throw new Error(`unknown node ${dialogId}/${nodeId}`);
    return n;
  }

  visit(where: string): void {
    if (++this.visits > maxNodeVisits) throw new BotLoopError(where);
  }

  render(text: string): string {
    return renderTemplate(text, this.lookup);
  }

  /** Renders a prompt's variants; marks it sensitive when it shows a sensitive entity's value. */
  say(prompt: Prompt): void {
    const rendered: Prompt = { text: this.render(prompt.text) };
    if (prompt.voice !== undefined) rendered.voice = this.render(prompt.voice);
    if (prompt.buttons) rendered.buttons = prompt.buttons.map((b) => ({ title: this.render(b.title), value: b.value }));
    const sensitive = this.showsSensitive(prompt);
    this.actions.push(sensitive ? { type: 'say', prompt: rendered, sensitive } : { type: 'say', prompt: rendered });
  }

  private showsSensitive(prompt: Prompt): boolean {
    if (this.state.sensitive.length === 0) return false;
    const sources = [prompt.text, prompt.voice ?? ''].flatMap(templateExpressions);
    return sources.some((src) => this.state.sensitive.some((name) => src.includes(`entities.${name}`)));
  }

  ask(action: Omit<AskAction, 'type'>): void {
    this.actions.push({ type: 'ask', ...action });
    this.state.waiting = { for: 'input' };
  }

  set(variable: string, value: unknown): void {
    const { scope, name } = assignIn(this.state.vars, variable, value);
    if (scope !== 'bot') this.actions.push({ type: 'setVariable', scope, name, value });
  }

  end(outcome: Outcome): void {
    this.state.status = 'ended';
    this.state.outcome = outcome;
    this.state.stack = [];
    this.state.waiting = { for: 'nothing' };
    this.actions.push({ type: 'end', outcome });
  }

  escalationContext(reason: EscalationContext['reason'], extra: Partial<EscalationContext> = {}): EscalationContext {
    const variables: Record<string, unknown> = {};
    for (const s of scopes) if (s !== 'entities' && s !== 'bot') variables[s] = this.state.vars[s];
    return {
      ...(this.state.lastIntent ? { intent: this.state.lastIntent.name } : {}),
      entities: { ...this.state.vars.entities },
      variables,
      transferInfo: {},
      reason,
      ...extra,
    };
  }
}
