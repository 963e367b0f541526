/**
 * One entry point over all extractors: the value of an entity of the bot in a text, by its type.
 * `expected` means the dialog asked for this entity, which accepts looser answers: a bare number as an
 * amount of money, a phone number of possible length though unassigned, any part of a composite.
 * Given an `Utterance` rather than a text, the extractors share its analysis (tokens, numbers, the chrono
 * parse) with every other extractor that reads it.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { EntityDef } from '../../core/bot.ts';
import { extractComposite } from './composite.ts';
import { extractDate } from './date.ts';
import { extractDigits } from './digits.ts';
import { extractEmail } from './email.ts';
import type { Extraction } from './extraction.ts';
import { extractListValue } from './list.ts';
import { extractMoney } from './money.ts';
import { extractNumber } from './number.ts';
import { extractPhone } from './phone.ts';
import { extractPattern } from './regex.ts';
import { extractText } from './text.ts';
import { extractTime } from './time.ts';
import { Utterance } from './utterance.ts';
import { extractYesNo } from './yesno.ts';

export interface ExtractOptions {
  /** Reference instant for relative dates. */
  now: Date;
  /** IANA zone of the caller; the process's zone when absent. */
  timeZone?: string;
  /** Region of phone numbers said without a country code ('US'). */
  defaultRegion?: CountryCode;
  /** Currency of "$", "dollars" and bare amounts ('USD'). */
  defaultCurrency?: string;
  /** The dialog asked for this entity. */
  expected?: boolean;
  /** The bot's entities, for the parts of composites. */
  entities?: Record<string, EntityDef>;
}

export function extractEntity(
  text: string | Utterance,
  def: EntityDef,
  options: ExtractOptions,
): Extraction | undefined {
  const expected = options.expected ?? false;
  const u = Utterance.of(text);
  switch (def.type) {
    case 'number':
      return extractNumber(u, { min: def.min, max: def.max });
    case 'digits':
      return extractDigits(u, { minLength: def.minLength, maxLength: def.maxLength });
    case 'date':
      return extractDate(u, options);
    case 'time':
      return extractTime(u, options);
    case 'money':
      return extractMoney(u, {
        defaultCurrency: options.defaultCurrency,
        bareNumbers: expected,
        min: def.min,
        max: def.max,
      });
    case 'phone':
      return extractPhone(u, { defaultRegion: options.defaultRegion, possibleOnly: expected });
    case 'email':
      return extractEmail(u);
    case 'yesno':
      return extractYesNo(u);
    case 'list':
      return extractListValue(u, def.values ?? []);
    case 'regex':
      return def.pattern === undefined ? undefined : extractPattern(u, def.pattern);
    case 'composite':
      return extractComposite(
        u.text,
        def,
        { entities: options.entities ?? {}, minParts: expected ? 1 : (def.parts?.length ?? 1) },
        (part, partDef) => extractEntity(part, partDef, { ...options, expected }),
      );
    case 'text':
      return extractText(u.text, { minLength: def.minLength, maxLength: def.maxLength });
  }
}
