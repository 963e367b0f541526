/**
 * What a `<field>` collects, as a bot entity: built-in types (`type="digits?length=8"`, built-in grammar
 * URIs) become typed entities, `<option>`s and simple inline grammars become list entities, anything
 * else a text entity that keeps the field's grammars for the IVR.
 */
import { XMLSerializer } from '@xmldom/xmldom';
import type { EntityOut, GrammarOut } from './bot-shape.ts';
import { attr, childElements, textContent, type Element } from '../xml-dom.ts';
import { grammarChoices, inlineGrammar } from './grammar-phrases.ts';


export interface FieldEntity {
  entity: EntityOut;
  grammars: GrammarOut[];
  /** Why the mapping is approximate, if it is. */
  notes: string[];
}

function builtin(spec: string): EntityOut | undefined {
  const [type = '', query = ''] = spec.split('?');
  const params = new Map(
    query
      .split(';')
      .filter(Boolean)
      .map((p) => p.split('=') as [string, string]),
  );
  const num = (k: string) => (params.has(k) && /^[0-9]+$/.test(params.get(k) ?? '') ? Number(params.get(k)) : undefined);
  switch (type.trim()) {
    case 'digits': {
      const length = num('length');
      const min = length ?? num('minlength');
      const max = length ?? num('maxlength');
      return { type: 'digits', ...(min !== undefined ? { minLength: min } : {}), ...(max !== undefined ? { maxLength: max } : {}) };
    }
    case 'boolean':
      return { type: 'yesno' };
    case 'number':
      return { type: 'number' };
    case 'currency':
      return { type: 'money' };
    case 'date':
      return { type: 'date' };
    case 'time':
      return { type: 'time' };
    case 'phone':
      return { type: 'phone' };
    default:
      return undefined;
  }
}

function listFrom(choices: Array<{ value: string; phrases: string[] }>): EntityOut {
  return {
    type: 'list',
    values: choices.map((c) => {
      const synonyms = c.phrases.filter((p) => p.toLowerCase() !== c.value.toLowerCase());
      return synonyms.length ? { value: c.value, synonyms } : c.value;
    }),
  };
}

export function fieldEntity(field: Element): FieldEntity {
  const notes: string[] = [];
  const type = attr(field, 'type');
  if (type) {
    const entity = builtin(type);
    if (entity) return { entity, grammars: [], notes };
    notes.push(`type="${type}" is not a VoiceXML built-in type; collected as text`);
  }
  const options = childElements(field, 'option');
  if (options.length) {
    const choices = options.map((o) => {
      const phrase = textContent(o).trim();
      return { value: attr(o, 'value') ?? phrase, phrases: phrase ? [phrase] : [] };
    });
    const keys = options.map((o) => attr(o, 'dtmf'));
    if (keys.some((k, i) => k !== undefined && k !== String(i + 1))) notes.push('option keys differ from their positions: the IVR numbers list values 1, 2, 3… in order');
    return { entity: listFrom(choices), grammars: [], notes };
  }
  const grammars = childElements(field, 'grammar');
  const kept: GrammarOut[] = [];
  for (const g of grammars) {
    const src = attr(g, 'src');
    const mode = attr(g, 'mode') === 'dtmf' ? 'dtmf' : 'voice';
    if (src !== undefined) {
      const m = /^builtin:(?:(?:dtmf|voice)\/)?(.+)$/.exec(src);
      const entity = m ? builtin(m[1] ?? '') : undefined;
      if (entity) return { entity, grammars: [], notes };
      kept.push({ src, ...(attr(g, 'mode') ? { mode } : {}), ...(attr(g, 'type') ? { type: attr(g, 'type') } : {}) });
      continue;
    }
    const rules = inlineGrammar(g);
    const choices = rules ? grammarChoices(rules) : [];
    if (choices.length > 0 && grammars.length === 1) return { entity: listFrom(choices), grammars: [], notes };
    const inline = childElements(g, 'rule').length ? new XMLSerializer().serializeToString(g) : textContent(g).trim();
    kept.push({ mode, inline, ...(attr(g, 'type') ? { type: attr(g, 'type') } : {}) });
  }
  if (kept.length === 0) notes.push('the field has no grammar; collected as free text');
  return { entity: { type: 'text' }, grammars: kept, notes };
}
