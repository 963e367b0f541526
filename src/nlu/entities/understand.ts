/**
 * The entity half of understanding, shared by the built-in engine and the external adapters: the expected
 * entity first (named after its EntityDef), `confirm` for confirmations, then the bot's other entities
 * found unasked so slot filling works from the first utterance ("pay 50 dollars tomorrow"), then built-in
 * types the bot did not declare (named after the type), all in text order after the expected one. When
 * two unasked entities claim the same words, the bot's own entity beats a built-in one, then the more
 * specific type wins (email, phone, money, date, time, list, regex, composite, digits, number); a date
 * and a time may share words ("tomorrow at 5 pm"). Amendments ("no, make that two hundred") are looked
 * for after the cue, where a bare value counts ("two hundred" as money), and reported only when a value
 * is found there. The text is analysed once (`Utterance`) and shared by every extractor.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Expectation } from '../../core/action.ts';
import type { BuiltinEntityType, EntityDef } from '../../core/bot.ts';
import type { ExtractedEntity } from '../../core/input.ts';
import { detectAmend } from './amend.ts';
import { extractEntity, type ExtractOptions } from './extract.ts';
import type { Extraction } from './extraction.ts';
import { Utterance } from './utterance.ts';

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

/** The bot's own entities before built-in ones it did not declare, then the more specific type first. */
function rank(f: Found, declared: ReadonlySet<string>): number {
  return PRIORITY.indexOf(f.type) + (declared.has(f.name) ? 0 : PRIORITY.length);
}

const SYSTEM_DEFS = new Map<BuiltinEntityType, EntityDef>();

function systemDef(type: BuiltinEntityType): EntityDef {
  let def = SYSTEM_DEFS.get(type);
  if (!def) {
    def = Object.freeze({ name: type, type, sensitive: false });
    SYSTEM_DEFS.set(type, def);
  }
  return def;
}

const CONFIRM: EntityDef = Object.freeze({ name: 'confirm', type: 'yesno', sensitive: false });

/** Where to look: the whole text or the part after an amend cue, whose offsets start at `offset`. */
interface Scope {
  said: Utterance;
  offset: number;
}

// Written out rather than spread from a shared base: `{ ...base, expected }` costs V8 a microsecond.
function extractOptions(
  now: Date,
  entities: Record<string, EntityDef>,
  options: EntityUnderstandingOptions,
  expected: boolean,
): ExtractOptions {
  return {
    now,
    timeZone: options.timeZone,
    defaultRegion: options.defaultRegion,
    defaultCurrency: options.defaultCurrency,
    entities,
    expected,
  };
}

function find(scope: Scope, def: EntityDef, options: ExtractOptions): Found | undefined {
  const hit = extractEntity(scope.said, def, options);
  return (
    hit && {
      name: def.name,
      type: def.type,
      hit,
      start: hit.start + scope.offset,
      end: hit.end + scope.offset,
    }
  );
}

export function understandEntities(
  said: string | Utterance,
  expect: Expectation,
  now: Date,
  entities: Record<string, EntityDef>,
  options: EntityUnderstandingOptions = {},
): EntityUnderstanding {
  const whole: Scope = { said: Utterance.of(said), offset: 0 };
  const text = whole.said.text;
  const cue = detectAmend(text);
  const regionStart = cue?.valueStart ?? 0;
  const regionEnd = cue?.valueEnd ?? text.length;
  const region: Scope =
    regionStart === 0 && regionEnd === text.length
      ? whole
      : { said: new Utterance(text.slice(regionStart, regionEnd)), offset: regionStart };
  const asked = extractOptions(now, entities, options, true);
  // after "make that", "change it to" a bare value is the correction ("no, make that two hundred")
  const notAsked = extractOptions(now, entities, options, cue?.strong === true);
  const taken: Found[] = [];
  const out: ExtractedEntity[] = [];
  let amended = false;

  if (expect.kind === 'entity') {
    const def = expect.entity;
    const inRegion = def.type === 'text' ? undefined : find(region, def, asked);
    const found = inRegion ?? find(whole, def, asked);
    if (found) {
      out.push({ name: def.name, value: found.hit.value, text: found.hit.text });
      taken.push(found);
      if (cue && inRegion) amended = true;
    }
  } else if (expect.kind === 'confirm') {
    const found = find(whole, CONFIRM, asked);
    if (found) out.push({ name: 'confirm', value: found.hit.value, text: found.hit.text });
  }

  const expectedName = expect.kind === 'entity' ? expect.entity.name : undefined;
  const candidates: Found[] = [];
  for (const def of Object.values(entities)) {
    if (def.name === expectedName || UNASKED_SKIP.has(def.type)) continue;
    const found = find(region, def, notAsked);
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
    const found = find(region, systemDef(type), notAsked);
    if (found) candidates.push(found);
  }
  candidates.sort((a, b) => rank(a, declared) - rank(b, declared));
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
