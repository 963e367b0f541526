/** Entity extraction: one pure, deterministic extractor per built-in type, and the dispatcher over them. */
export type { Extraction } from './extraction.ts';
export { extractEntity, type ExtractOptions } from './extract.ts';
export { Utterance } from './utterance.ts';
export { extractNumber, extractNumbers, type NumberOptions } from './number.ts';
export { extractDigits, type DigitsOptions } from './digits.ts';
export { extractDate, extractDates } from './date.ts';
export { extractTime } from './time.ts';
export { findCalendarMentions, type CalendarOptions, type CalendarMention } from './calendar.ts';
export { extractMoney, extractMoneys, type Money, type MoneyOptions } from './money.ts';
export { extractPhone, type PhoneOptions } from './phone.ts';
export { extractEmail } from './email.ts';
export { extractYesNo } from './yesno.ts';
export { extractListValue, editDistance } from './list.ts';
export { extractPattern, compilePattern } from './regex.ts';
export { extractComposite, type CompositeOptions } from './composite.ts';
export { extractText, type TextOptions } from './text.ts';
export { detectAmend, type AmendCue } from './amend.ts';
export {
  understandEntities,
  DEFAULT_SYSTEM_ENTITIES,
  type EntityUnderstanding,
  type EntityUnderstandingOptions,
} from './understand.ts';
