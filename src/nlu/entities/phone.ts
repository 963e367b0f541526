/**
 * The `phone` entity: a number in E.164 (`+14155552671`) from typed forms ("(415) 555-2671",
 * "+44 20 7946 0958") and spoken digits ("plus one four one five five five five two six seven one",
 * "four one five, five five five, two six seven one", "eight hundred" inside a toll-free number).
 */
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { extraction, type Extraction } from './extraction.ts';
import { Utterance } from './utterance.ts';

export interface PhoneOptions {
  /** Region of numbers said without a country code; 'US' by default. */
  defaultRegion?: CountryCode;
  /** Accept numbers of a possible length that the numbering plan does not assign (asked-for answers). */
  possibleOnly?: boolean;
}

/**
 * No phone number of any region, possible or valid, has fewer digits: shorter digit strings ("50",
 * "the 3rd", "two") are not handed to libphonenumber, which is slow to say no.
 */
export const MIN_PHONE_DIGITS = 4;

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n += 1;
  }
  return n;
}

function accept(candidate: string, region: CountryCode, possibleOnly: boolean): string | undefined {
  const parsed = parsePhoneNumberFromString(candidate, region);
  if (!parsed) return undefined;
  return (possibleOnly ? parsed.isPossible() : parsed.isValid()) ? parsed.number : undefined;
}

export function extractPhone(
  text: string | Utterance,
  options: PhoneOptions = {},
): Extraction<string> | undefined {
  const u = Utterance.of(text);
  const region = options.defaultRegion ?? 'US';
  for (const run of u.digitRuns) {
    const start = run.plusStart ?? run.start;
    const whole =
      run.digits.length < MIN_PHONE_DIGITS
        ? undefined
        : accept(
            `${run.plusStart !== undefined ? '+' : ''}${run.digits}`,
            region,
            options.possibleOnly === true,
          );
    if (whole !== undefined) return extraction(u.text, whole, start, run.end);
    // A number run together with other digits ("415 555 2671 1234"): let the library find it inside.
    const written = u.text.slice(start, run.end);
    // Bare digits ("12345678") hold no other number than the whole, which the library would parse again.
    if (written === run.digits || countDigits(written) < MIN_PHONE_DIGITS) continue;
    const inside = findPhoneNumbersInText(written, region)[0];
    if (inside && (options.possibleOnly || inside.number.isValid())) {
      return extraction(u.text, inside.number.number, start + inside.startsAt, start + inside.endsAt);
    }
  }
  return undefined;
}
