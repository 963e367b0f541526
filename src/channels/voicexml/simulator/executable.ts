/**
 * Executable content: prompts (spoken as text), `<var>`, `<assign>`, `<if>`, `<goto>`, `<submit>`,
 * `<return>`, `<exit>`, `<disconnect>`, `<reprompt>`, `<throw>`, `<clear>`, `<log>`, `<data>`.
 * Transfers of control are thrown (signals.ts); expression errors become `error.semantic`.
 */
import { toText, truthy, ExpressionError } from './expression.ts';
import { attr, childNodes, isElement, textContent, type Element, type Node } from '../xml-dom.ts';
import { resolveUrl, type FetchRequest } from './document.ts';
import { durationMs, propertyOf, type ExecContext } from './runtime.ts';
import { ExitSignal, NavigateSignal, ReturnSignal, VxmlEvent } from './signals.ts';

export function evaluateIn(ctx: ExecContext, expr: string): unknown {
  try {
    return ctx.scope.evaluate(expr);
  } catch (error) {
    if (error instanceof ExpressionError) throw new VxmlEvent('error.semantic', `${expr}: ${error.message}`);
    throw error;
  }
}

export function condHolds(ctx: ExecContext, element: Element): boolean {
  const cond = attr(element, 'cond');
  return cond === undefined || truthy(evaluateIn(ctx, cond));
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The words a prompt (or any speakable content) says. */
export function speakable(ctx: ExecContext, node: Node): string {
  if (!isElement(node)) return collapse(node.nodeValue ?? '');
  switch (node.localName) {
    case 'value':
      return toText(evaluateIn(ctx, attr(node, 'expr') ?? 'undefined'));
    case 'break':
      return ' ';
    case 'sub':
      return attr(node, 'alias') ?? textContent(node);
    case 'desc':
    case 'meta':
    case 'metadata':
    case 'lexicon':
    case 'mark':
      return '';
    case 'audio': {
      const fallback = childNodes(node).map((c) => speakable(ctx, c)).join('');
      const src = attr(node, 'src') ?? (attr(node, 'expr') !== undefined ? toText(evaluateIn(ctx, attr(node, 'expr') ?? '')) : undefined);
      return fallback.trim() ? fallback : src ? ` [audio ${src}] ` : '';
    }
    case 'enumerate':
      return enumerate(ctx, node);
    case 'foreach':
      throw new VxmlEvent('error.unsupported.foreach');
    default:
      return childNodes(node).map((c) => speakable(ctx, c)).join('');
  }
}

function enumerate(ctx: ExecContext, node: Element): string {
  const choices = ctx.choices ?? [];
  const template = childNodes(node);
  if (template.length === 0) return choices.map((c) => c.prompt).join(', ');
  return choices
    .map((c) => {
      const scope = ctx.scope.child('anonymous');
      scope.declare('_prompt', c.prompt);
      scope.declare('_dtmf', c.dtmf);
      return template.map((t) => speakable({ ...ctx, scope }, t)).join('');
    })
    .join(' ');
}

export function sayPrompt(ctx: ExecContext, node: Node): void {
  const text = speakable(ctx, node).trim();
  if (text) ctx.rt.say(text);
}

function names(list: string | undefined): string[] {
  return (list ?? '').split(/\s+/).filter(Boolean);
}

/** `namelist` values, as a VoiceXML browser submits them (objects as JSON). */
export function namelistValues(ctx: ExecContext, list: string | undefined): Array<[string, string]> {
  return names(list).map((name) => {
    const value = evaluateIn(ctx, name);
    const text = value === undefined ? '' : value !== null && typeof value === 'object' ? JSON.stringify(value) : toText(value);
    return [name, text];
  });
}

function namelistObject(ctx: ExecContext, list: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names(list)) out[name] = evaluateIn(ctx, name);
  return out;
}

function targetOf(ctx: ExecContext, element: Element, plain: string, expr: string): string | undefined {
  const value = attr(element, plain);
  if (value !== undefined) return value;
  const e = attr(element, expr);
  return e === undefined ? undefined : toText(evaluateIn(ctx, e));
}

function methodOf(element: Element): 'get' | 'post' {
  return (attr(element, 'method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
}

function timeoutOf(ctx: ExecContext, element: Element): number {
  return durationMs(attr(element, 'fetchtimeout')) ?? durationMs(propertyOf('fetchtimeout', ctx.chain)) ?? 10_000;
}

async function navigate(ctx: ExecContext, target: string, request: Omit<FetchRequest, 'url'>, element: Element): Promise<never> {
  if (target.startsWith('#') && request.params.length === 0) throw new NavigateSignal({ dialog: target.slice(1) });
  const document = await ctx.rt.load({ url: resolveUrl(target, ctx.doc.doc.url), ...request }, timeoutOf(ctx, element));
  throw new NavigateSignal({ document });
}

async function executeElement(ctx: ExecContext, el: Element): Promise<void> {
  switch (el.localName) {
    case 'prompt':
      if (condHolds(ctx, el)) sayPrompt(ctx, el);
      return;
    case 'audio':
    case 'value':
    case 'enumerate':
      sayPrompt(ctx, el);
      return;
    case 'var':
      ctx.scope.declare(attr(el, 'name') ?? '', attr(el, 'expr') === undefined ? undefined : evaluateIn(ctx, attr(el, 'expr') ?? ''));
      return;
    case 'assign':
      try {
        ctx.scope.assign(attr(el, 'name') ?? '', evaluateIn(ctx, attr(el, 'expr') ?? 'undefined'));
      } catch (error) {
        if (error instanceof ExpressionError) throw new VxmlEvent('error.semantic', error.message);
        throw error;
      }
      return;
    case 'if':
      return executeIf(ctx, el);
    case 'goto': {
      const item = targetOf(ctx, el, 'nextitem', 'expritem');
      if (item !== undefined) throw new NavigateSignal({ item });
      const target = targetOf(ctx, el, 'next', 'expr');
      if (target === undefined) throw new VxmlEvent('error.badfetch', '<goto> without a target');
      return navigate(ctx, target, { method: 'get', params: [] }, el);
    }
    case 'submit': {
      const target = targetOf(ctx, el, 'next', 'expr');
      if (target === undefined) throw new VxmlEvent('error.badfetch', '<submit> without a target');
      return navigate(ctx, target, { method: methodOf(el), params: namelistValues(ctx, attr(el, 'namelist')) }, el);
    }
    case 'return': {
      const event = targetOf(ctx, el, 'event', 'eventexpr');
      if (event !== undefined) throw new ReturnSignal({ event, message: targetOf(ctx, el, 'message', 'messageexpr') ?? '' });
      throw new ReturnSignal({ values: namelistObject(ctx, attr(el, 'namelist')) });
    }
    case 'exit': {
      const expr = attr(el, 'expr');
      throw new ExitSignal('exit', expr !== undefined ? evaluateIn(ctx, expr) : attr(el, 'namelist') ? namelistObject(ctx, attr(el, 'namelist')) : undefined);
    }
    case 'disconnect':
      ctx.rt.disconnect();
      throw new VxmlEvent('connection.disconnect.hangup');
    case 'reprompt':
      ctx.onReprompt?.();
      return;
    case 'throw': {
      const event = targetOf(ctx, el, 'event', 'eventexpr');
      throw new VxmlEvent(event ?? 'error.semantic', targetOf(ctx, el, 'message', 'messageexpr') ?? '');
    }
    case 'clear':
      ctx.clear?.(attr(el, 'namelist') ? names(attr(el, 'namelist')) : undefined);
      return;
    case 'log': {
      const expr = attr(el, 'expr');
      const text = expr !== undefined ? toText(evaluateIn(ctx, expr)) : speakable(ctx, el).trim();
      ctx.rt.log(attr(el, 'label') ? `${attr(el, 'label')}: ${text}` : text);
      return;
    }
    case 'data': {
      const src = targetOf(ctx, el, 'src', 'srcexpr');
      if (src === undefined) throw new VxmlEvent('error.badfetch', '<data> without src');
      const request = { url: resolveUrl(src, ctx.doc.doc.url), method: methodOf(el), params: namelistValues(ctx, attr(el, 'namelist')) };
      const fetched = await ctx.rt.fetch('data', request, timeoutOf(ctx, el));
      const name = attr(el, 'name');
      if (name) ctx.scope.declare(name, fetched.body);
      return;
    }
    default:
      throw new VxmlEvent(`error.unsupported.${el.localName ?? 'element'}`);
  }
}

async function executeIf(ctx: ExecContext, el: Element): Promise<void> {
  let active = condHolds(ctx, el);
  let done = active;
  const branch: Node[] = [];
  const run = async () => {
    if (active) await execute(ctx, branch);
  };
  for (const child of childNodes(el)) {
    if (isElement(child) && (child.localName === 'elseif' || child.localName === 'else')) {
      await run();
      if (done) return;
      branch.length = 0;
      active = child.localName === 'else' || condHolds(ctx, child);
      done = active;
      continue;
    }
    branch.push(child);
  }
  await run();
}

/** Runs executable content in order; bare text is an implicit prompt. */
export async function execute(ctx: ExecContext, nodes: readonly Node[]): Promise<void> {
  for (const node of nodes) {
    if (isElement(node)) await executeElement(ctx, node);
    else sayPrompt(ctx, node);
  }
}
