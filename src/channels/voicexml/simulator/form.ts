/**
 * The form interpretation algorithm, for plain-enough forms: select the first form item whose variable
 * is undefined and whose cond holds; run it (`<block>`, `<field>`, `<subdialog>`, `<transfer>`); catch
 * the events it throws at the item; run `<filled>` (field-level, then form-level by mode and namelist);
 * stop when no item is left (the dialog completes) or control leaves the form.
 */
import { attr, childElements, childNodes, type Element } from '../xml-dom.ts';
import { collect, countEvent, newItemState, type ItemState } from './collect.ts';
import { resolveUrl } from './document.ts';
import { handleEvent } from './events.ts';
import { condHolds, evaluateIn, execute, namelistValues } from './executable.ts';
import { toText } from './expression.ts';
import { grammarsOf, type RecognizerOptions, type Recognition } from './recognizer.ts';
import { durationMs, propertyOf, type DocContext, type ExecContext, type Runtime } from './runtime.ts';
import { CallOverSignal, ExitSignal, NavigateSignal, VxmlEvent } from './signals.ts';

const ITEMS = new Set(['block', 'field', 'subdialog', 'initial', 'record', 'transfer', 'object']);
const INPUT_ITEMS = new Set(['field', 'subdialog', 'initial', 'record', 'transfer', 'object']);
export const MAX_ITERATIONS = 500;
const MAX_NESTED_EVENTS = 8;

export interface DialogOptions {
  /** `<param>` values of the subdialog call: they initialise the form's `<var>`s of the same names. */
  params?: Record<string, unknown>;
  recognizer: RecognizerOptions;
}

/** Runs the handler for an event at an item; an event thrown by the handler is handled the same way. */
export async function handleAt(ctx: ExecContext, scopes: readonly Element[], state: ItemState, event: VxmlEvent): Promise<void> {
  let current = event;
  for (let depth = 0; ; depth++) {
    let reprompted = false;
    try {
      await handleEvent({ ...ctx, onReprompt: () => (reprompted = true) }, scopes, current, countEvent(state, current.event));
      state.skipPrompts = !reprompted;
      return;
    } catch (error) {
      if (error instanceof VxmlEvent && depth < MAX_NESTED_EVENTS) {
        current = error;
        continue;
      }
      throw error;
    }
  }
}

export async function runForm(form: Element, dctx: DocContext, rt: Runtime, options: DialogOptions): Promise<void> {
  const scope = dctx.scope.child('dialog');
  const root = dctx.doc.root;
  const items = childElements(form).filter((e) => ITEMS.has(e.localName ?? ''));
  const names = new Map<Element, string>(items.map((item, i) => [item, attr(item, 'name') ?? `_item${i + 1}`]));
  const states = new Map<Element, ItemState>(items.map((item) => [item, newItemState()]));
  const base: ExecContext = { rt, doc: dctx, scope, chain: [form, root] };

  const nameOf = (item: Element) => names.get(item) ?? '';
  const stateOf = (item: Element) => states.get(item) ?? newItemState();
  base.clear = (list) => {
    for (const item of items) {
      if (list && !list.includes(nameOf(item))) continue;
      scope.vars[nameOf(item)] = undefined;
      states.set(item, newItemState());
    }
    for (const name of list ?? []) if (Object.hasOwn(scope.vars, name) && ![...names.values()].includes(name)) scope.vars[name] = undefined;
  };

  for (const child of childElements(form)) {
    const name = child.localName === 'var' ? (attr(child, 'name') ?? '') : ITEMS.has(child.localName ?? '') ? nameOf(child) : undefined;
    if (name === undefined) continue;
    if (options.params && Object.hasOwn(options.params, name) && child.localName === 'var') scope.declare(name, options.params[name]);
    else scope.declare(name, attr(child, 'expr') === undefined ? undefined : evaluateIn(base, attr(child, 'expr') ?? ''));
  }

  const fill = async (item: Element, ctx: ExecContext, value: unknown, result?: Recognition) => {
    const name = nameOf(item);
    scope.vars[name] = value;
    if (result) {
      const shadow = { utterance: result.utterance, inputmode: result.mode, confidence: result.confidence, interpretation: result.value };
      scope.declare(`${name}$`, shadow);
      const app = scope.parent?.parent;
      app?.declare('lastresult$', [shadow]);
    }
    for (const filled of childElements(item, 'filled')) await execute({ ...ctx, scope: scope.child('anonymous') }, childNodes(filled));
    for (const filled of childElements(form, 'filled')) {
      const inputNames = items.filter((i) => INPUT_ITEMS.has(i.localName ?? '')).map(nameOf);
      const listed = (attr(filled, 'namelist') ?? '').split(/\s+/).filter(Boolean);
      const watched = listed.length ? listed : inputNames;
      if (!watched.includes(name)) continue;
      if ((attr(filled, 'mode') ?? 'all') === 'all' && watched.some((n) => scope.vars[n] === undefined)) continue;
      await execute({ ...base, scope: scope.child('anonymous') }, childNodes(filled));
    }
  };

  const visit = async (item: Element, ctx: ExecContext) => {
    switch (item.localName) {
      case 'block':
        scope.vars[nameOf(item)] = true;
        await execute({ ...ctx, scope: scope.child('anonymous') }, childNodes(item));
        return;
      case 'field': {
        const result = await collect(ctx, item, stateOf(item), () => grammarsOf(item, ctx, options.recognizer, childElements(form, 'grammar')));
        await fill(item, ctx, result.value, result);
        return;
      }
      case 'subdialog':
        await fill(item, ctx, await callSubdialog(item, ctx, rt));
        return;
      case 'transfer': {
        const dest = attr(item, 'dest') ?? (attr(item, 'destexpr') ? toText(evaluateIn(ctx, attr(item, 'destexpr') ?? '')) : '');
        rt.transfer(dest);
        throw new CallOverSignal('transfer', dest);
      }
      case 'initial':
        rt.log('<initial> (mixed initiative) is not simulated; skipped');
        scope.vars[nameOf(item)] = true;
        return;
      default:
        throw new VxmlEvent(`error.unsupported.${item.localName ?? 'item'}`);
    }
  };

  let pending: string | undefined;
  for (let iteration = 0; ; iteration++) {
    if (iteration > MAX_ITERATIONS) throw new ExitSignal('event', undefined, 'error.simulator.loop');
    const item = pending !== undefined ? items.find((i) => nameOf(i) === pending) : items.find((i) => scope.vars[nameOf(i)] === undefined && condHolds(base, i));
    if (pending !== undefined && !item) throw new VxmlEvent('error.badfetch', `no form item ${pending}`);
    pending = undefined;
    if (!item) return;
    const ctx: ExecContext = { ...base, chain: [item, form, root] };
    try {
      await visit(item, ctx);
    } catch (error) {
      if (error instanceof NavigateSignal && error.target.item !== undefined) {
        pending = error.target.item;
        continue;
      }
      if (!(error instanceof VxmlEvent)) throw error;
      try {
        await handleAt(ctx, [item, form, root], stateOf(item), error);
      } catch (after) {
        if (after instanceof NavigateSignal && after.target.item !== undefined) {
          pending = after.target.item;
          continue;
        }
        throw after;
      }
    }
  }
}

async function callSubdialog(item: Element, ctx: ExecContext, rt: Runtime): Promise<Record<string, unknown>> {
  const src = attr(item, 'src') ?? (attr(item, 'srcexpr') !== undefined ? toText(evaluateIn(ctx, attr(item, 'srcexpr') ?? '')) : undefined);
  if (src === undefined) throw new VxmlEvent('error.badfetch', '<subdialog> without src');
  const params: Record<string, unknown> = {};
  for (const p of childElements(item, 'param')) {
    const expr = attr(p, 'expr');
    params[attr(p, 'name') ?? ''] = expr !== undefined ? evaluateIn(ctx, expr) : attr(p, 'value');
  }
  const method = (attr(item, 'method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
  const timeout = durationMs(attr(item, 'fetchtimeout')) ?? durationMs(propertyOf('fetchtimeout', ctx.chain)) ?? 10_000;
  const document = await rt.load({ url: resolveUrl(src, ctx.doc.doc.url), method, params: namelistValues(ctx, attr(item, 'namelist')) }, timeout);
  const result = await rt.runSubdialog(document, params);
  if ('event' in result) throw new VxmlEvent(result.event, result.message);
  return result.values;
}
