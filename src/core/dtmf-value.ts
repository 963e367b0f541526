import type { EntityDef } from './bot.ts';

/**
 * What keypad digits mean for an expected entity: digit strings and numbers are taken as keyed,
 * yes/no is 1 (yes) or 2 (no), a list is chosen by position (1 = first value).
 * Returns undefined when the digits cannot be that entity.
 */
export function valueFromDigits(entity: EntityDef, digits: string): unknown {
  const clean = digits.replace(/[#*]+$/, '');
  if (!/^[0-9]+$/.test(clean)) return undefined;
  switch (entity.type) {
    case 'digits': {
      if (entity.minLength !== undefined && clean.length < entity.minLength) return undefined;
      if (entity.maxLength !== undefined && clean.length > entity.maxLength) return undefined;
      return clean;
    }
    case 'number': {
      const n = Number(clean);
      if (entity.min !== undefined && n < entity.min) return undefined;
      if (entity.max !== undefined && n > entity.max) return undefined;
      return n;
    }
    case 'money':
      return { amount: Number(clean), currency: 'USD' };
    case 'yesno':
      return clean === '1' ? true : clean === '2' ? false : undefined;
    case 'list':
      return entity.values?.[Number(clean) - 1]?.value;
    case 'phone':
      return clean.length >= 7 ? clean : undefined;
    case 'regex':
      return entity.pattern !== undefined && new RegExp(entity.pattern).test(clean) ? clean : undefined;
    default:
      return undefined;
  }
}
