import type { Expectation } from '../core/action.ts';
import type { EntityDef, GrammarRef, IntentDef } from '../core/bot.ts';

/**
 * What the caller may say at one point of a dialog, as a speech recogniser needs it: any of a list of
 * phrases, or a string of spoken digits. Built from the node's own voice grammar when it has one, else from
 * what the node expects (the entity's values, digits, yes or no) together with the bot's intents'
 * utterances (a caller may leave a question for another request: a digression), or at the main menu the
 * utterances alone. Undefined means open dictation (dates, amounts, free text).
 */
export interface SpeechGrammar {
  phrases: string[];
  digits?: { minDigits: number; maxDigits: number };
}

export const YES_PHRASES = ['yes', 'yeah', 'yep', 'correct', 'that is right', 'right'];
export const NO_PHRASES = ['no', 'nope', 'wrong', 'that is wrong', 'not right'];

const MAX_SPOKEN_DIGITS = 20;

export interface GrammarSource {
  expect: Expectation;
  intents: readonly IntentDef[];
  /** The node's grammars (`mode: voice` ones are used). */
  grammars?: readonly GrammarRef[];
}

export function speechGrammarFor(source: GrammarSource): SpeechGrammar | undefined {
  const own = source.grammars?.find((g) => g.mode === 'voice');
  const fromNode = own ? grammarFromRef(own) : undefined;
  if (fromNode) return fromNode;
  const { expect } = source;
  const utterances = unique(source.intents.flatMap((i) => i.utterances));
  switch (expect.kind) {
    case 'intent':
      return utterances.length > 0 ? { phrases: utterances } : undefined;
    case 'confirm':
      return { phrases: unique([...YES_PHRASES, ...NO_PHRASES, ...utterances]) };
    case 'entity': {
      const own = grammarForEntity(expect.entity);
      return own ? { ...own, phrases: unique([...own.phrases, ...utterances]) } : undefined;
    }
  }
}

function grammarForEntity(entity: EntityDef): SpeechGrammar | undefined {
  switch (entity.type) {
    case 'digits':
      return digits(entity.minLength ?? 1, entity.maxLength ?? MAX_SPOKEN_DIGITS);
    case 'number':
      return digits(1, entity.max !== undefined ? String(Math.trunc(Math.abs(entity.max))).length : 10);
    case 'phone':
      return digits(7, 15);
    case 'yesno':
      return { phrases: [...YES_PHRASES, ...NO_PHRASES] };
    case 'list': {
      const phrases = unique((entity.values ?? []).flatMap((v) => [v.value, ...v.synonyms]));
      return phrases.length > 0 ? { phrases } : undefined;
    }
    default:
      return undefined;
  }
}

function digits(minDigits: number, maxDigits: number): SpeechGrammar {
  const max = Math.min(MAX_SPOKEN_DIGITS, Math.max(1, maxDigits));
  return { phrases: [], digits: { minDigits: Math.min(Math.max(1, minDigits), max), maxDigits: max } };
}

/**
 * A node's voice grammar: the VoiceXML built-ins `builtin:grammar/digits?minlength=…;maxlength=…` and
 * `builtin:grammar/boolean`, or an inline SRGS XML grammar whose `<item>`s are plain phrases.
 */
function grammarFromRef(ref: GrammarRef): SpeechGrammar | undefined {
  const src = ref.src ?? '';
  const builtin = /^builtin:(?:grammar\/)?(digits|boolean)(?:\?(.*))?$/.exec(src);
  if (builtin) {
    if (builtin[1] === 'boolean') return { phrases: [...YES_PHRASES, ...NO_PHRASES] };
    const params = new Map((builtin[2] ?? '').split(';').map((p) => p.split('=') as [string, string?]).map(([k, v]) => [k.trim(), Number(v)]));
    const length = params.get('length');
    const min = length ?? params.get('minlength') ?? 1;
    const max = length ?? params.get('maxlength') ?? MAX_SPOKEN_DIGITS;
    return digits(Number.isFinite(min) ? min : 1, Number.isFinite(max) ? max : MAX_SPOKEN_DIGITS);
  }
  if (ref.inline && /<item[\s>]/.test(ref.inline)) {
    const phrases = [...ref.inline.matchAll(/<item(?:\s[^>]*)?>([^<]+)<\/item>/g)].map((m) => decodeXmlText(m[1]!).trim()).filter(Boolean);
    return phrases.length > 0 ? { phrases: unique(phrases) } : undefined;
  }
  return undefined;
}

function decodeXmlText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '');
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list.map((s) => s.trim()).filter(Boolean))];
}
