/**
 * VoiceXML built-in grammar types (boolean, digits, number, phone, date, time, currency) by keypad and by
 * voice, as far as a simulator needs them; and the free-form grammars (transcription) that accept any
 * speech. `builtin:dtmf/digits?minlength=4;maxlength=6`, `builtin:voice/boolean`, or a field's `type`.
 */

export type BuiltinMatch = { value: unknown } | undefined;
export type BuiltinMatcher = (input: { mode: 'voice' | 'dtmf'; text: string }) => BuiltinMatch;

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const YES = new Set(['yes', 'yeah', 'yep', 'yup', 'correct', 'right', 'true', 'affirmative', 'sure', 'ok', 'okay']);
const NO = new Set(['no', 'nope', 'nah', 'wrong', 'false', 'negative', 'incorrect']);

function spokenWords(text: string): string[] {
  return text.toLowerCase().replace(/[^\p{L}\p{N}.'\s-]/gu, ' ').split(/[\s-]+/).filter(Boolean);
}

/** "four five six", "456", "four 5 six" → "456"; undefined when a word is not a digit. */
export function spokenDigits(text: string): string | undefined {
  let out = '';
  for (const w of spokenWords(text)) {
    if (/^[0-9]+$/.test(w)) out += w;
    else if (UNITS[w] !== undefined && UNITS[w] < 10) out += String(UNITS[w]);
    else return undefined;
  }
  return out || undefined;
}

/** "two hundred and forty five", "1,500", "twelve point five" → a number; undefined when not a number. */
export function spokenNumber(text: string): number | undefined {
  const plain = text.trim().replace(/,/g, '');
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(plain)) return Number(plain);
  let total = 0;
  let current = 0;
  let seen = false;
  let decimals: string | undefined;
  for (const w of spokenWords(text)) {
    const unit = UNITS[w] ?? TENS[w];
    if (decimals !== undefined) {
      const d = UNITS[w];
      if (d === undefined || d > 9) return undefined;
      decimals += String(d);
    } else if (w === 'and' && seen) {
      continue;
    } else if (w === 'point' && seen) {
      decimals = '';
    } else if (unit !== undefined) {
      current += unit;
      seen = true;
    } else if (w === 'hundred' && seen) {
      current *= 100;
    } else if ((w === 'thousand' || w === 'million') && seen) {
      total += current * (w === 'thousand' ? 1000 : 1_000_000);
      current = 0;
    } else if (/^[0-9]+$/.test(w)) {
      current += Number(w);
      seen = true;
    } else {
      return undefined;
    }
  }
  if (!seen) return undefined;
  const whole = total + current;
  return decimals ? Number(`${whole}.${decimals}`) : whole;
}

function lengthOk(value: string, params: Map<string, string>): boolean {
  const num = (k: string) => (params.has(k) ? Number(params.get(k)) : undefined);
  const length = num('length');
  const min = num('minlength');
  const max = num('maxlength');
  if (length !== undefined && value.length !== length) return false;
  if (min !== undefined && value.length < min) return false;
  if (max !== undefined && value.length > max) return false;
  return true;
}

const matchers: Record<string, (params: Map<string, string>) => BuiltinMatcher> = {
  boolean: (params) => (input) => {
    if (input.mode === 'dtmf') {
      const yes = params.get('y') ?? '1';
      const no = params.get('n') ?? '2';
      return input.text === yes ? { value: true } : input.text === no ? { value: false } : undefined;
    }
    const w = spokenWords(input.text);
    if (w.length && w.every((x) => YES.has(x) || x === 'please' || x === 'that' || x === "that's" || x === 'is')) return w.some((x) => YES.has(x)) ? { value: true } : undefined;
    if (w.length && w.every((x) => NO.has(x) || x === 'thanks' || x === 'thank' || x === 'you')) return w.some((x) => NO.has(x)) ? { value: false } : undefined;
    return undefined;
  },
  digits: (params) => (input) => {
    const digits = input.mode === 'dtmf' ? (/^[0-9]+$/.test(input.text) ? input.text : undefined) : spokenDigits(input.text);
    return digits !== undefined && lengthOk(digits, params) ? { value: digits } : undefined;
  },
  number: () => (input) => {
    if (input.mode === 'dtmf') return /^[0-9]+(\*[0-9]+)?$/.test(input.text) ? { value: Number(input.text.replace('*', '.')) } : undefined;
    const n = spokenNumber(input.text);
    return n === undefined ? undefined : { value: n };
  },
  phone: () => (input) => {
    const digits = input.mode === 'dtmf' ? (/^[0-9]+$/.test(input.text) ? input.text : undefined) : spokenDigits(input.text.replace(/^\+/, ''));
    return digits && digits.length >= 3 ? { value: digits } : undefined;
  },
  date: () => (input) => {
    const digits = input.mode === 'dtmf' ? input.text : spokenDigits(input.text);
    return digits && /^[0-9]{8}$/.test(digits) ? { value: digits } : undefined;
  },
  time: () => (input) => {
    const digits = input.mode === 'dtmf' ? input.text : spokenDigits(input.text.replace(':', ' '));
    return digits && /^[0-9]{4}$/.test(digits) ? { value: `${digits}h` } : undefined;
  },
  currency: () => (input) => {
    if (input.mode === 'dtmf') return /^[0-9]+(\*[0-9]+)?$/.test(input.text) ? { value: input.text.replace('*', '.') } : undefined;
    const n = spokenNumber(input.text.replace(/^\$/, '').replace(/\b(dollars?|euros?|pounds?)\b/gi, ''));
    return n === undefined ? undefined : { value: String(n) };
  },
};

/** Accepts any speech: the transcription grammar and other free-form recognisers. */
export const anySpeech: BuiltinMatcher = (input) => (input.mode === 'voice' && input.text.trim() ? { value: input.text.trim() } : undefined);

/**
 * A matcher for a built-in type (`digits?minlength=4`) in a mode (`both` for a field's `type`), or
 * undefined for a type the simulator does not know.
 */
export function builtinTypeMatcher(spec: string, mode: 'voice' | 'dtmf' | 'both'): BuiltinMatcher | undefined {
  const [type = '', query = ''] = spec.split('?');
  const params = new Map(
    query
      .split(';')
      .filter(Boolean)
      .map((p) => p.split('=') as [string, string]),
  );
  const make = matchers[type.trim()];
  if (!make) return undefined;
  const inner = make(params);
  return (input) => (mode === 'both' || mode === input.mode ? inner(input) : undefined);
}

/**
 * A matcher for a `builtin:` grammar URI. `builtin:dtmf/…` and `builtin:voice/…` are the typed built-ins;
 * other built-in speech URIs (`builtin:speech/transcribe`, `builtin:grammar/…`) are taken as free-form.
 */
export function builtinUriMatcher(uri: string): BuiltinMatcher | undefined {
  const m = /^builtin:(dtmf|voice)\/(.+)$/.exec(uri.trim());
  if (m) return builtinTypeMatcher(m[2] ?? '', m[1] as 'voice' | 'dtmf');
  if (/^builtin:/.test(uri.trim())) return anySpeech;
  return undefined;
}
