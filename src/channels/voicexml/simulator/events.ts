/**
 * Catching events as VoiceXML does: the handlers of the current element and of the enclosing ones
 * (form item, dialog, document), in that order then document order; those whose event matches (by name
 * prefix, whole dotted parts) and whose `cond` holds; among them the highest `count` not above the
 * times this event was thrown; the first of those. Without one, the platform's default handler.
 */
import { attr, childElements, childNodes, type Element } from '../xml-dom.ts';
import { condHolds, execute } from './executable.ts';
import type { ExecContext } from './runtime.ts';
import { CallOverSignal, ExitSignal, type VxmlEvent } from './signals.ts';

const SHORTHANDS: Record<string, string> = { noinput: 'noinput', nomatch: 'nomatch', error: 'error', help: 'help' };

function handlerEvents(handler: Element): string[] | undefined {
  const shorthand = SHORTHANDS[handler.localName ?? ''];
  if (shorthand) return [shorthand];
  const events = (attr(handler, 'event') ?? '').split(/\s+/).filter(Boolean);
  return events.length ? events : undefined;
}

function catches(handlerEvent: string, event: string): boolean {
  return handlerEvent === '.' || event === handlerEvent || event.startsWith(`${handlerEvent}.`);
}

function isHandler(e: Element): boolean {
  return e.localName === 'catch' || (e.localName ?? '') in SHORTHANDS;
}

/** Finds and runs the handler; the platform default applies without one. */
export async function handleEvent(ctx: ExecContext, scopes: readonly Element[], event: VxmlEvent, count: number): Promise<void> {
  const candidates: Array<{ handler: Element; count: number }> = [];
  for (const scope of scopes) {
    for (const handler of childElements(scope).filter(isHandler)) {
      const events = handlerEvents(handler);
      if (events && !events.some((e) => catches(e, event.event))) continue;
      if (!condHolds(ctx, handler)) continue;
      candidates.push({ handler, count: Number(attr(handler, 'count') ?? '1') || 1 });
    }
  }
  const eligible = candidates.filter((c) => c.count <= count);
  const best = Math.max(...eligible.map((c) => c.count));
  const chosen = eligible.find((c) => c.count === best);
  if (!chosen) return defaultHandler(ctx, event);
  const scope = ctx.scope.child('anonymous');
  scope.declare('_event', event.event);
  scope.declare('_message', event.detail);
  await execute({ ...ctx, scope }, childNodes(chosen.handler));
}

function defaultHandler(ctx: ExecContext, event: VxmlEvent): void {
  const name = event.event;
  if (name === 'noinput' || name === 'nomatch' || name === 'help' || name === 'maxspeechtimeout') {
    ctx.onReprompt?.();
    return;
  }
  if (name === 'cancel') return;
  if (name.startsWith('connection.disconnect')) {
    if (name === 'connection.disconnect.transfer') throw new CallOverSignal('transfer');
    throw new CallOverSignal('hangup');
  }
  ctx.rt.log(`unhandled event ${event.message}`);
  throw new ExitSignal('event', event.detail, name);
}
