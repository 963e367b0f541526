/**
 * The entity half of understanding, shared by the built-in engine and the external adapters: the expected
 * entity first (named after its EntityDef), `confirm` for confirmations, then the bot's other entities
 * found unasked so slot filling works from the first utterance ("pay 50 dollars tomorrow"), then built-in
 * types the bot did not declare (named after the type), all in text order after the expected one. When
 * two unasked entities claim the same words, the bot's own entity beats a built-in one, then the more
 * specific type wins (email, phone, money, date, time, list, regex, composite, digits, number); a date
 * and a time may share words ("tomorrow at 5 pm"). Amendments ("no, make that two hundred") are looked
 * for after the cue, where a bare value counts ("two hundred" as money), and reported only when a value
 * is found there.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Expectation } from '../../core/action.ts';
import type { BuiltinEntityType, EntityDef } from '../../core/bot.ts';
import type { ExtractedEntity } from '../../core/input.ts';
import { detectAmend } from './amend.ts';
import { extractEntity, type ExtractOptions } from './extract.ts';
import type { Extraction } from './extraction.ts';

export interface EntityUnderstandingOptions {
  timeZone?: string;
  defaultRegion?: CountryCode;
  defaultCurrency?: string;
  /**
   * Built-in types reported under their type name when found unasked and the bot has no entity that took
   * the words. Default: date, time, money, email, phone (specific enough not to fire on every number).
   */
  systemEntities?: BuiltinEntityType[];
}

export interface EntityUnderstanding {
  entities: ExtractedEntity[];
  amend: boolean;
}

export const DEFAULT_SYSTEM_ENTITIES: readonly BuiltinEntityType[] = [
  'date',
  'time',
  'money',
  'email',
  'phone',
];

const PRIORITY: readonly BuiltinEntityType[] = [
  'email',
  'phone',
  'money',
  'date',
  'time',
  'list',
  'regex',
  'composite',
  'digits',
  'number',
];
const UNASKED_SKIP = new Set<BuiltinEntityType>(['text', 'yesno']);

interface Found {
  name: string;
  type: BuiltinEntityType;
  hit: Extraction;
  /** Offsets in the whole text. */
  start: number;
  end: number;
}

const overlaps = (a: Found, b: Found): boolean => a.start < b.end && b.start < a.end;
const shareable = (a: Found, b: Found): boolean =>
  (a.type === 'date' && b.type === 'time') || (a.type === 'time' && b.type === 'date');

function systemDef(type: BuiltinEntityType): EntityDef {
  return { name: type, type, sensitive: false };
}

export function understandEntities(
  text: string,
  expect: Expectation,
  now: Date,
  entities: Record<string, EntityDef>,
  options: EntityUnderstandingOptions = {},
): EntityUnderstanding {
  const base: ExtractOptions = {
    now,
    timeZone: options.timeZone,
    defaultRegion: options.defaultRegion,
    defaultCurrency: options.defaultCurrency,
    entities,
  };
  const cue = detectAmend(text);
  const regionStart = cue?.valueStart ?? 0;
  const region = text.slice(regionStart, cue?.valueEnd ?? text.length);
  const taken: Found[] = [];
  const out: ExtractedEntity[] = [];
  let amended = false;

  const find = (def: EntityDef, expected: boolean, where: 'region' | 'whole'): Found | undefined => {
    const source = where === 'region' ? region : text;
    const offset = where === 'region' ? regionStart : 0;
    const hit = extractEntity(source, def, { ...base, expected });
    return hit && { name: def.name, type: def.type, hit, start: hit.start + offset, end: hit.end + offset };
  };

  if (expect.kind === 'entity') {
    const def = expect.entity;
    const inRegion = def.type === 'text' ? undefined : find(def, true, 'region');
    const found = inRegion ?? find(def, true, 'whole');
    if (found) {
      out.push({ name: def.name, value: found.hit.value, text: found.hit.text });
      taken.push(found);
      if (cue && inRegion) amended = true;
    }
  } else if (expect.kind === 'confirm') {
    const found = find({ name: 'confirm', type: 'yesno', sensitive: false }, true, 'whole');
    if (found) out.push({ name: 'confirm', value: found.hit.value, text: found.hit.text });
  }

  const expectedName = expect.kind === 'entity' ? expect.entity.name : undefined;
  const candidates: Found[] = [];
  for (const def of Object.values(entities)) {
    if (def.name === expectedName || UNASKED_SKIP.has(def.type)) continue;
    // after "make that", "change it to" a bare value is the correction ("no, make that two hundred")
    const found = find(def, cue?.strong === true, 'region');
    if (found) candidates.push(found);
  }
  const declared = new Set(Object.values(entities).map((d) => d.name));
  for (const type of options.systemEntities ?? DEFAULT_SYSTEM_ENTITIES) {
    if (
      declared.has(type) ||
      UNASKED_SKIP.has(type) ||
      type === 'composite' ||
      type === 'list' ||
      type === 'regex'
    )
      continue;
    const found = find(systemDef(type), cue?.strong === true, 'region');
    if (found) candidates.push({ ...found, name: type });
  }
  // the bot's own entities before built-in ones it did not declare, then the more specific type first
  const rank = (f: Found): number => PRIORITY.indexOf(f.type) + (declared.has(f.name) ? 0 : PRIORITY.length);
  candidates.sort((a, b) => rank(a) - rank(b));
  const unasked: Found[] = [];
  for (const c of candidates) {
    if (taken.some((t) => overlaps(t, c) && !shareable(t, c))) continue;
    taken.push(c);
    unasked.push(c);
  }
  unasked.sort((a, b) => a.start - b.start);
  for (const f of unasked) {
    out.push({ name: f.name, value: f.hit.value, text: f.hit.text });
    if (cue) amended = true;
  }
  return { entities: out, amend: amended };
}
