/**
 * `<menu>`: prompts (with `<enumerate>`), `<choice>`s matched by their words (exactly, or approximately
 * with `accept="approximate"`), their `dtmf` keys (numbered automatically with `dtmf="true"`) or their
 * own grammars; the chosen choice's `next`/`expr` is followed or its `event` thrown.
 */
import { attr, childElements, textContent, type Element } from '../xml-dom.ts';
import { collect, newItemState } from './collect.ts';
import { resolveUrl } from './document.ts';
import { evaluateIn } from './executable.ts';
import { toText } from './expression.ts';
import { handleAt, MAX_ITERATIONS, type DialogOptions } from './form.ts';
import { grammarsOf, recognize, type InputGrammar } from './recognizer.ts';
import { words } from './rule-grammar.ts';
import type { DocContext, ExecContext, Runtime } from './runtime.ts';
import { ExitSignal, NavigateSignal, VxmlEvent } from './signals.ts';

interface Choice {
  element: Element;
  prompt: string;
  dtmf?: string;
  approximate: boolean;
}

function phraseMatch(choice: Choice, utterance: string): boolean {
  const said = words(utterance, 'voice');
  const phrase = words(choice.prompt, 'voice');
  if (said.length === 0 || phrase.length === 0) return false;
  if (said.join(' ') === phrase.join(' ')) return true;
  if (!choice.approximate) return false;
  // Approximate: the words said appear in the choice's phrase, in order.
  let i = 0;
  for (const w of phrase) if (w === said[i]) i += 1;
  return i === said.length;
}

async function choiceMatcher(choices: Choice[], ctx: ExecContext, options: DialogOptions): Promise<InputGrammar[]> {
  const own = new Map<Choice, InputGrammar[]>();
  for (const c of choices) own.set(c, await grammarsOf(c.element, ctx, options.recognizer));
  const chosen = (step: { mode: 'voice' | 'dtmf'; text: string }): Choice | undefined =>
    choices.find((c) => {
      const grammars = own.get(c) ?? [];
      if (grammars.length) return recognize(grammars, step.mode === 'dtmf' ? { kind: 'dtmf', digits: step.text } : { kind: 'speech', text: step.text, confidence: 1 }) !== undefined;
      return step.mode === 'dtmf' ? c.dtmf === step.text : phraseMatch(c, step.text);
    });
  return [
    {
      match: (input) => {
        const c = chosen(input);
        return c ? { value: choices.indexOf(c) } : undefined;
      },
    },
  ];
}

export async function runMenu(menu: Element, dctx: DocContext, rt: Runtime, options: DialogOptions): Promise<never> {
  const scope = dctx.scope.child('dialog');
  const auto = attr(menu, 'dtmf') === 'true';
  const menuAccept = attr(menu, 'accept') ?? 'exact';
  const choices: Choice[] = childElements(menu, 'choice').map((element, i) => {
    const dtmf = attr(element, 'dtmf') ?? (auto && i < 9 ? String(i + 1) : undefined);
    const c: Choice = { element, prompt: textContent(element).trim(), approximate: (attr(element, 'accept') ?? menuAccept) === 'approximate' };
    if (dtmf !== undefined) c.dtmf = dtmf;
    return c;
  });
  const ctx: ExecContext = { rt, doc: dctx, scope, chain: [menu, dctx.doc.root] };
  ctx.choices = choices.map((c) => (c.dtmf !== undefined ? { prompt: c.prompt, dtmf: c.dtmf } : { prompt: c.prompt }));
  const state = newItemState();
  for (let iteration = 0; iteration <= MAX_ITERATIONS; iteration++) {
    try {
      const result = await collect(ctx, menu, state, () => choiceMatcher(choices, ctx, options));
      const choice = choices[Number(result.value)];
      if (!choice) throw new VxmlEvent('nomatch');
      const event = attr(choice.element, 'event') ?? (attr(choice.element, 'eventexpr') ? toText(evaluateIn(ctx, attr(choice.element, 'eventexpr') ?? '')) : undefined);
      if (event !== undefined) throw new VxmlEvent(event, attr(choice.element, 'message') ?? '');
      const next = attr(choice.element, 'next') ?? (attr(choice.element, 'expr') ? toText(evaluateIn(ctx, attr(choice.element, 'expr') ?? '')) : undefined);
      if (next === undefined) throw new VxmlEvent('error.badfetch', '<choice> without next');
      if (next.startsWith('#')) throw new NavigateSignal({ dialog: next.slice(1) });
      throw new NavigateSignal({ document: await rt.load({ url: resolveUrl(next, dctx.doc.url), method: 'get', params: [] }, 10_000) });
    } catch (error) {
      if (!(error instanceof VxmlEvent)) throw error;
      await handleAt(ctx, [menu, dctx.doc.root], state, error);
    }
  }
  throw new ExitSignal('event', undefined, 'error.simulator.loop');
}
