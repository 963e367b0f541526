/**
 * The `phone` entity: a number in E.164 (`+14155552671`) from typed forms ("(415) 555-2671",
 * "+44 20 7946 0958") and spoken digits ("plus one four one five five five five two six seven one",
 * "four one five, five five five, two six seven one", "eight hundred" inside a toll-free number).
 */
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { extraction, type Extraction } from './extraction.ts';
import { findDigitRuns } from './digit-runs.ts';
import { tokenize } from './tokens.ts';

export interface PhoneOptions {
  /** Region of numbers said without a country code; 'US' by default. */
  defaultRegion?: CountryCode;
  /** Accept numbers of a possible length that the numbering plan does not assign (asked-for answers). */
  possibleOnly?: boolean;
}

export function extractPhone(text: string, options: PhoneOptions = {}): Extraction<string> | undefined {
  const region = options.defaultRegion ?? 'US';
  const accept = (candidate: string): string | undefined => {
    const parsed = parsePhoneNumberFromString(candidate, region);
    if (!parsed) return undefined;
    return (options.possibleOnly ? parsed.isPossible() : parsed.isValid()) ? parsed.number : undefined;
  };
  for (const run of findDigitRuns(tokenize(text))) {
    const start = run.plusStart ?? run.start;
    const whole = accept(`${run.plusStart !== undefined ? '+' : ''}${run.digits}`);
    if (whole !== undefined) return extraction(text, whole, start, run.end);
    // A number run together with other digits ("415 555 2671 1234"): let the library find it inside.
    const inside = findPhoneNumbersInText(text.slice(start, run.end), region)[0];
    if (inside && (options.possibleOnly || inside.number.isValid())) {
      return extraction(text, inside.number.number, start + inside.startsAt, start + inside.endsAt);
    }
  }
  return undefined;
}
