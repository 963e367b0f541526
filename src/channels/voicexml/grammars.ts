/**
 * The grammars of the input field: the node's own grammars (SRGS XML or ABNF, inline or by URI), the
 * transcription grammar when the bot transcribes, and grammars generated from what the bot expects
 * (VoiceXML built-in types, SRGS lists with numbered keypad choices).
 */
import type { Button, EntityDef, GrammarRef, IvrSettings } from '../../core/bot.ts';
import type { AskAction } from '../../core/action.ts';
import { INTENT_GRAMMAR_TYPE } from './intent-grammar.ts';
import { srgsFromXml } from './srgs-inline.ts';
import { el, type XmlElement } from './xml-tree.ts';

export const DEFAULT_TRANSCRIPTION_GRAMMAR = 'builtin:speech/transcribe';
export const LITERAL_TAGS = 'semantics/1.0-literals';

export type GrammarSpec =
  | { kind: 'src'; src: string; type?: string; mode?: 'voice' | 'dtmf' }
  | { kind: 'abnf'; mode: 'voice' | 'dtmf'; text: string }
  /** Inline SRGS XML: the attributes of `<grammar>` and its children, rule ids already unique in the document. */
  | { kind: 'srgs'; attrs: Record<string, string>; children: XmlElement[] };

export interface GrammarChoice {
  /** What the field value becomes (the literal semantic tag). */
  value: string;
  /** Spoken forms. */
  phrases: string[];
}

/** Allocates document-unique rule ids. */
export interface IdAllocator {
  next(hint: string): string;
}

export function idAllocator(): IdAllocator {
  let n = 0;
  return {
    next: (hint) => {
      n += 1;
      const clean = hint.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
      return `g${n}_${clean || 'rule'}`;
    },
  };
}

function query(params: Array<[string, number | undefined]>): string {
  const set = params.filter((p): p is [string, number] => p[1] !== undefined && Number.isInteger(p[1]) && p[1] >= 0);
  return set.length ? `?${set.map(([k, v]) => `${k}=${v}`).join(';')}` : '';
}

function digitBounds(entity: EntityDef): Array<[string, number | undefined]> {
  if (entity.type === 'digits') {
    if (entity.minLength !== undefined && entity.minLength === entity.maxLength) return [['length', entity.minLength]];
    return [
      ['minlength', entity.minLength],
      ['maxlength', entity.maxLength],
    ];
  }
  if (entity.type === 'number' && entity.max !== undefined && Number.isFinite(entity.max) && entity.max >= 0) {
    return [
      ['minlength', 1],
      ['maxlength', String(Math.floor(Math.abs(entity.max))).length],
    ];
  }
  return [];
}

/** The VoiceXML built-in type (Appendix P) an entity type maps to, with its parameters. */
function builtinType(entity: EntityDef): string | undefined {
  switch (entity.type) {
    case 'digits':
    case 'number':
      return `digits${query(digitBounds(entity))}`;
    case 'yesno':
      return 'boolean';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'money':
      return 'currency';
    case 'phone':
      return 'phone';
    default:
      return undefined;
  }
}

function voiceBuiltin(entity: EntityDef): string | undefined {
  if (entity.type === 'number') return 'number';
  return builtinType(entity);
}

/** A public one-rule SRGS grammar: one item per choice, with the value as a literal tag. */
export function choiceGrammar(ids: IdAllocator, mode: 'voice' | 'dtmf', choices: readonly GrammarChoice[], language?: string): GrammarSpec | undefined {
  const items: XmlElement[] = [];
  for (const choice of choices) {
    const phrases = [...new Set(choice.phrases.map((p) => p.trim()).filter(Boolean))];
    if (phrases.length === 0) continue;
    const match = phrases.length === 1 ? [phrases[0] ?? ''] : [el('one-of', {}, phrases.map((p) => el('item', {}, [p])))];
    items.push(el('item', {}, [...match, el('tag', {}, [choice.value])]));
  }
  if (items.length === 0) return undefined;
  const id = ids.next(mode === 'dtmf' ? 'keys' : 'choices');
  const attrs: Record<string, string> = { mode, version: '1.0', root: id, 'tag-format': LITERAL_TAGS };
  if (language && mode === 'voice') attrs['xml:lang'] = language;
  return { kind: 'srgs', attrs, children: [el('rule', { id, scope: 'public' }, [el('one-of', {}, items)])] };
}

/** Keys for the n-th choice (1-based): `1`…`9`, then `1 0`, `1 1`… (DTMF tokens are single keys). */
export function keysFor(n: number): string {
  return String(n).split('').join(' ');
}

/**
 * Numbered keypad choices. A list entity's choice gives the keys themselves (the engine reads keys as a
 * position in the list, as on every channel); a button's choice gives the button's value (words for the NLU).
 */
function numbered(values: ReadonlyArray<{ value: string }>, result: 'keys' | 'value'): GrammarChoice[] {
  return values.map((v, i) => ({ value: result === 'keys' ? String(i + 1) : v.value, phrases: [keysFor(i + 1)] }));
}

export interface FieldGrammarInput {
  ask: AskAction;
  settings: IvrSettings;
  /** Buttons of the question prompt: offered as numbered keypad choices (and spoken titles). */
  buttons?: readonly Button[];
  language?: string;
  /** Where the bot's intent grammar is served (`intent-grammar.ts`): for open questions when the bot does not transcribe. */
  intentGrammar?: string;
  ids: IdAllocator;
  warn: (message: string) => void;
}

function fromRef(ref: GrammarRef, input: FieldGrammarInput): GrammarSpec | undefined {
  if (ref.src !== undefined && ref.inline === undefined) {
    const spec: GrammarSpec = { kind: 'src', src: ref.src, mode: ref.mode };
    if (ref.type) spec.type = ref.type;
    return spec;
  }
  const inline = ref.inline?.trim() ?? '';
  if (!inline) {
    input.warn(`grammar of ${input.ask.nodeRef} has neither src nor inline content; left out`);
    return undefined;
  }
  const xml = ref.type ? ref.type.includes('xml') : inline.startsWith('<');
  if (!xml) return { kind: 'abnf', mode: ref.mode, text: inline };
  const srgs = srgsFromXml(inline, ref.mode, input.ids);
  if ('error' in srgs) {
    input.warn(`inline SRGS grammar of ${input.ask.nodeRef} cannot be used: ${srgs.error}; left out`);
    return undefined;
  }
  return { kind: 'srgs', attrs: srgs.attrs, children: srgs.children };
}

/**
 * The field's grammars, in this order: the node's grammars; the transcription grammar when transcription
 * is on and the node gives no voice grammar; a voice grammar from the expected entity when neither gives
 * one, or for an open question the buttons' titles and the bot's intent grammar; keypad grammars from the
 * expected entity or the buttons when the node gives no DTMF grammar.
 * A field always gets a grammar: with nothing else, the transcription grammar.
 */
export function fieldGrammars(input: FieldGrammarInput): GrammarSpec[] {
  const { ask, settings, ids, language } = input;
  const own = ask.grammars.map((g) => fromRef(g, input)).filter((g): g is GrammarSpec => g !== undefined);
  const hasVoice = own.some((g) => modeOf(g) === 'voice');
  const hasDtmf = own.some((g) => modeOf(g) === 'dtmf');
  const out = [...own];
  const transcription: GrammarSpec = { kind: 'src', src: settings.transcriptionEngine.trim() || DEFAULT_TRANSCRIPTION_GRAMMAR };
  const expect = ask.expect;
  const buttons = input.buttons?.filter((b) => b.value.trim() !== '') ?? [];

  if (!hasVoice) {
    if (settings.transcription) out.push(transcription);
    else if (expect.kind === 'confirm') out.push({ kind: 'src', src: 'builtin:voice/boolean' });
    else if (expect.kind === 'entity' && expect.entity.type === 'list' && expect.entity.values?.length) {
      const g = choiceGrammar(ids, 'voice', expect.entity.values.map((v) => ({ value: v.value, phrases: [v.value, ...v.synonyms] })), language);
      if (g) out.push(g);
    } else if (expect.kind === 'entity' && voiceBuiltin(expect.entity)) out.push({ kind: 'src', src: `builtin:voice/${voiceBuiltin(expect.entity)}` });
    else {
      if (buttons.length) {
        const g = choiceGrammar(ids, 'voice', buttons.map((b) => ({ value: b.value, phrases: [b.title, b.value] })), language);
        if (g) out.push(g);
      }
      // An open question: the caller may ask for anything the bot understands, not only what the buttons offer.
      if (expect.kind === 'intent' && input.intentGrammar) out.push({ kind: 'src', src: input.intentGrammar, type: INTENT_GRAMMAR_TYPE, mode: 'voice' });
    }
  }
  if (!hasDtmf) {
    if (expect.kind === 'confirm') out.push({ kind: 'src', src: 'builtin:dtmf/boolean' });
    else if (expect.kind === 'entity' && expect.entity.type === 'list' && expect.entity.values?.length) {
      const g = choiceGrammar(ids, 'dtmf', numbered(expect.entity.values, 'keys'));
      if (g) out.push(g);
    } else if (expect.kind === 'entity' && builtinType(expect.entity)) out.push({ kind: 'src', src: `builtin:dtmf/${builtinType(expect.entity)}` });
    else if (buttons.length) {
      const g = choiceGrammar(ids, 'dtmf', numbered(buttons, 'value'));
      if (g) out.push(g);
    }
  }
  if (!out.some((g) => modeOf(g) === 'voice')) {
    if (!out.some((g) => modeOf(g) === 'dtmf')) {
      input.warn(`${ask.nodeRef} has no grammar and the bot does not transcribe; using the transcription grammar`);
      out.push(transcription);
    }
  }
  return out;
}

/** The input mode a grammar listens to (built-ins say it in their URI; the transcription grammar is voice). */
export function modeOf(g: GrammarSpec): 'voice' | 'dtmf' {
  if (g.kind === 'src') {
    if (g.src.startsWith('builtin:dtmf/')) return 'dtmf';
    return g.mode ?? 'voice';
  }
  if (g.kind === 'abnf') return g.mode;
  return g.attrs.mode === 'dtmf' ? 'dtmf' : 'voice';
}
