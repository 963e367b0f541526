/**
 * Deciding match or no-match for a caller step against the grammars an input item listens to: its
 * `<grammar>` elements (built-in URIs, SRGS XML or ABNF, inline or fetched), its `type`, its `<option>`s.
 * The first grammar (in document order) that matches gives the result.
 */
import { attr, childElements, parseXml, textContent, type Element } from '../xml-dom.ts';
import { AbnfError, parseAbnf } from './abnf.ts';
import { anySpeech, builtinTypeMatcher, builtinUriMatcher, type BuiltinMatcher } from './builtin-grammars.ts';
import { resolveUrl } from './document.ts';
import { ExpressionError } from './expression.ts';
import { matchGrammar, words, type RuleGrammar } from './rule-grammar.ts';
import { durationMs, propertyOf, type ExecContext } from './runtime.ts';
import type { CallerStep } from './script.ts';
import { VxmlEvent } from './signals.ts';
import { srgsFromElement } from './srgs-xml.ts';

export interface InputGrammar {
  match: BuiltinMatcher;
}

export interface Recognition {
  value: unknown;
  utterance: string;
  mode: 'voice' | 'dtmf';
  confidence: number;
}

export interface RecognizerOptions {
  /** Grammar URIs (prefixes) taken as free-form speech, like an ASR engine's transcription grammar. */
  freeFormGrammars: readonly string[];
}

function ruleMatcher(g: RuleGrammar): BuiltinMatcher {
  return (input) => (input.mode === g.mode ? matchGrammar(g, words(input.text, g.mode), input.text) : undefined);
}

function withRoot(g: RuleGrammar, fragment: string | undefined): RuleGrammar {
  return fragment && g.rules.has(fragment) ? { ...g, root: fragment } : g;
}

function parseGrammarText(text: string, mode: 'voice' | 'dtmf', where: string): RuleGrammar {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('<')) {
      const root = parseXml(trimmed.replace(/^<\?xml[^>]*\?>/, '').trim()).documentElement;
      const g = root && root.localName === 'grammar' ? srgsFromElement(root, mode) : undefined;
      if (!g) throw new VxmlEvent('error.badfetch', `${where}: no SRGS rules`);
      return g;
    }
    return parseAbnf(trimmed, mode);
  } catch (error) {
    if (error instanceof VxmlEvent) throw error;
    const reason = error instanceof AbnfError || error instanceof Error ? error.message : String(error);
    throw new VxmlEvent('error.badfetch', `${where}: grammar cannot be read (${reason})`);
  }
}

async function compile(grammar: Element, ctx: ExecContext, options: RecognizerOptions): Promise<InputGrammar> {
  const mode = attr(grammar, 'mode') === 'dtmf' ? 'dtmf' : 'voice';
  let src = attr(grammar, 'src');
  const srcexpr = attr(grammar, 'srcexpr');
  if (src === undefined && srcexpr !== undefined) {
    try {
      src = String(ctx.scope.evaluate(srcexpr));
    } catch (error) {
      throw new VxmlEvent('error.semantic', error instanceof ExpressionError ? error.message : String(error));
    }
  }
  if (src !== undefined) {
    if (options.freeFormGrammars.some((p) => src.startsWith(p))) return { match: anySpeech };
    if (src.startsWith('builtin:')) {
      const builtin = builtinUriMatcher(src);
      if (!builtin) throw new VxmlEvent('error.unsupported.builtin', src);
      return { match: builtin };
    }
    const url = resolveUrl(src, ctx.doc.doc.url);
    const timeout = durationMs(propertyOf('fetchtimeout', ctx.chain));
    const fetched = await ctx.rt.fetch('grammar', { url, method: 'get', params: [] }, timeout ?? 10_000);
    return { match: ruleMatcher(withRoot(parseGrammarText(fetched.body, mode, url), fetched.fragment)) };
  }
  if (childElements(grammar, 'rule').length > 0) {
    const g = srgsFromElement(grammar, mode);
    if (!g) throw new VxmlEvent('error.semantic', 'inline grammar without rules');
    return { match: ruleMatcher(g) };
  }
  return { match: ruleMatcher(parseGrammarText(textContent(grammar), mode, 'inline grammar')) };
}

/** `<option>`s of a field: a spoken phrase and/or a key each, the value attribute (or the phrase) as result. */
function optionsMatcher(options: Element[]): BuiltinMatcher {
  return (input) => {
    for (const option of options) {
      const phrase = textContent(option).trim();
      const value = attr(option, 'value') ?? phrase;
      if (input.mode === 'dtmf' && attr(option, 'dtmf') === input.text) return { value };
      if (input.mode === 'voice' && phrase && words(phrase, 'voice').join(' ') === words(input.text, 'voice').join(' ')) return { value };
    }
    return undefined;
  };
}

/** The grammars an input item (field, menu choice set…) listens to. */
export async function grammarsOf(item: Element, ctx: ExecContext, options: RecognizerOptions, extra: readonly Element[] = []): Promise<InputGrammar[]> {
  const out: InputGrammar[] = [];
  for (const g of [...childElements(item, 'grammar'), ...extra]) out.push(await compile(g, ctx, options));
  const type = attr(item, 'type');
  if (type) {
    const builtin = builtinTypeMatcher(type, 'both');
    if (!builtin) throw new VxmlEvent('error.unsupported.builtin', type);
    out.push({ match: builtin });
  }
  const opts = childElements(item, 'option');
  if (opts.length) out.push({ match: optionsMatcher(opts) });
  return out;
}

/** Matches a speech or keys step; keys may end with the terminating character, which is not part of the input. */
export function recognize(grammars: readonly InputGrammar[], step: Extract<CallerStep, { kind: 'speech' | 'dtmf' }>, termchar = '#'): Recognition | undefined {
  const attempts =
    step.kind === 'dtmf'
      ? [step.digits, ...(termchar && step.digits.endsWith(termchar) ? [step.digits.slice(0, -termchar.length)] : [])]
      : [step.text];
  for (const text of attempts) {
    const input = { mode: step.kind === 'dtmf' ? ('dtmf' as const) : ('voice' as const), text };
    for (const g of grammars) {
      const m = g.match(input);
      if (m) return { value: m.value, utterance: text, mode: input.mode, confidence: step.kind === 'dtmf' ? 1 : step.confidence };
    }
  }
  return undefined;
}
