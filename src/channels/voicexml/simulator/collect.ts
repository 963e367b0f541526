/**
 * One turn of input for a field or a menu: play the selected prompts (unless a handler just ran without
 * `<reprompt>`), take the caller's step, and turn it into a recognition or an event (`noinput`,
 * `nomatch`, `connection.disconnect.hangup`).
 */
import { attr, childElements, type Element } from '../xml-dom.ts';
import { condHolds, sayPrompt } from './executable.ts';
import type { InputGrammar, Recognition } from './recognizer.ts';
import { recognize } from './recognizer.ts';
import { propertyOf, type ExecContext } from './runtime.ts';
import { VxmlEvent } from './signals.ts';

/** Per form item: the prompt counter, the event counters, and whether to skip prompts on the next visit. */
export interface ItemState {
  prompts: number;
  events: Map<string, number>;
  skipPrompts: boolean;
}

export function newItemState(): ItemState {
  return { prompts: 0, events: new Map(), skipPrompts: false };
}

export function countEvent(state: ItemState, event: string): number {
  const n = (state.events.get(event) ?? 0) + 1;
  state.events.set(event, n);
  return n;
}

const PROMPTING = new Set(['prompt', 'audio', 'value', 'enumerate']);

/** Tapered prompts: those whose `count` is the highest not above the prompt counter (and whose cond holds). */
export function playPrompts(ctx: ExecContext, item: Element, counter: number): void {
  const candidates = childElements(item)
    .filter((e) => PROMPTING.has(e.localName ?? ''))
    .filter((e) => e.localName !== 'prompt' || condHolds(ctx, e))
    .map((e) => ({ e, count: Number(attr(e, 'count') ?? '1') || 1 }))
    .filter((c) => c.count <= counter);
  const best = Math.max(...candidates.map((c) => c.count));
  for (const c of candidates) if (c.count === best) sayPrompt(ctx, c.e);
}

export async function collect(ctx: ExecContext, item: Element, state: ItemState, grammars: () => Promise<InputGrammar[]>): Promise<Recognition> {
  if (!state.skipPrompts) {
    state.prompts += 1;
    playPrompts(ctx, item, state.prompts);
  }
  state.skipPrompts = false;
  const step = await ctx.rt.listen();
  if (step.kind === 'hangup') {
    ctx.rt.disconnect();
    throw new VxmlEvent('connection.disconnect.hangup');
  }
  if (step.kind === 'silence') throw new VxmlEvent('noinput');
  const modes = propertyOf('inputmodes', ctx.chain) ?? 'dtmf voice';
  if (!modes.split(/\s+/).includes(step.kind === 'dtmf' ? 'dtmf' : 'voice')) throw new VxmlEvent('noinput');
  const active = await grammars();
  if (active.length === 0) throw new VxmlEvent('error.semantic', `<${item.localName}> has no grammar`);
  const result = recognize(active, step, propertyOf('termchar', ctx.chain) ?? '#');
  if (!result) throw new VxmlEvent('nomatch');
  const level = Number(propertyOf('confidencelevel', ctx.chain) ?? '0.5');
  if (result.mode === 'voice' && Number.isFinite(level) && result.confidence < level) throw new VxmlEvent('nomatch');
  return result;
}
