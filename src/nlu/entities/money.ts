/**
 * The `money` entity: `{ amount, currency }` from "$25", "twenty five dollars", "25.50 euros", "a hundred
 * bucks", "€10", "10 EUR", "fifty cents", "twenty five dollars and fifty cents", "25 dollars 50".
 * A bare number is an amount in the default currency only when money was asked for (`bareNumbers`).
 */
import { extraction, type Extraction } from './extraction.ts';
import { lookup } from './lookup.ts';
import type { SpokenNumber } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';
import { Utterance } from './utterance.ts';

export interface Money {
  amount: number;
  /** ISO 4217 code. */
  currency: string;
}

export interface MoneyOptions {
  /** Currency of "$", "dollars" (when it is a dollar) and of bare amounts; 'USD' by default. */
  defaultCurrency?: string;
  /** Accept a number without a currency (the caller was asked for an amount). */
  bareNumbers?: boolean;
  min?: number;
  max?: number;
}

const DOLLARS = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD']);

/** Words and codes after an amount. `dollar` resolves to the default currency when it is a dollar. */
const CURRENCY_WORDS = lookup({
  dollar: 'dollar',
  dollars: 'dollar',
  buck: 'dollar',
  bucks: 'dollar',
  usd: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  eur: 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  quid: 'GBP',
  gbp: 'GBP',
  sterling: 'GBP',
  yen: 'JPY',
  jpy: 'JPY',
  rupee: 'INR',
  rupees: 'INR',
  inr: 'INR',
  franc: 'CHF',
  francs: 'CHF',
  chf: 'CHF',
  cad: 'CAD',
  aud: 'AUD',
  nzd: 'NZD',
  mxn: 'MXN',
  pesos: 'MXN',
  peso: 'MXN',
});
const SYMBOLS = lookup({ $: 'dollar', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR' });
const SUBUNITS = lookup({ cent: 'dollar', cents: 'dollar', penny: 'GBP', pence: 'GBP' });

function resolve(code: string, defaultCurrency: string): string {
  if (code !== 'dollar') return code;
  return DOLLARS.has(defaultCurrency) ? defaultCurrency : 'USD';
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

interface Found {
  amount: number;
  currency?: string;
  start: number;
  end: number;
}

/** A currency word or code at token `j`, with the plural/code resolution done by the caller. */
function currencyAt(tokens: readonly Token[], j: number): string | undefined {
  const t = tokens[j];
  if (!t) return undefined;
  if (t.kind === 'symbol') return SYMBOLS[t.text];
  return t.kind === 'word' ? CURRENCY_WORDS[t.norm] : undefined;
}

function readAmount(
  tokens: readonly Token[],
  numbers: readonly SpokenNumber[],
  k: number,
  defaultCurrency: string,
): Found & { next: number } {
  const n = numbers[k];
  if (!n) throw new Error('readAmount past the end');
  let amount = n.value;
  let end = n.end;
  let next = k + 1;
  let currency: string | undefined;
  const before = currencyAt(tokens, n.first - 1);
  const prefix = tokens[n.first - 1];
  const start = before !== undefined && prefix?.kind === 'symbol' ? prefix.start : n.start;
  if (before !== undefined && prefix?.kind === 'symbol') currency = resolve(before, defaultCurrency);
  const afterIndex = n.last + 1;
  const after = currencyAt(tokens, afterIndex);
  const subunit = tokens[afterIndex]?.kind === 'word' ? SUBUNITS[tokens[afterIndex]?.norm ?? ''] : undefined;
  if (subunit !== undefined && currency === undefined) {
    return {
      amount: round2(amount / 100),
      currency: resolve(subunit, defaultCurrency),
      start,
      end: tokens[afterIndex]?.end ?? end,
      next,
    };
  }
  if (after !== undefined && currency === undefined && tokens[afterIndex]?.kind === 'word') {
    currency = resolve(after, defaultCurrency);
    end = tokens[afterIndex]?.end ?? end;
    // "twenty five dollars and fifty cents", "25 dollars 50"
    let j = afterIndex + 1;
    if (tokens[j]?.norm === 'and') j += 1;
    const cents = numbers[k + 1];
    if (
      cents &&
      cents.first === j &&
      Number.isInteger(cents.value) &&
      cents.value >= 0 &&
      cents.value < 100
    ) {
      const unit = tokens[cents.last + 1];
      const centsWord = unit?.kind === 'word' && unit.norm in SUBUNITS;
      if (centsWord || tokens[j - 1]?.norm !== 'and') {
        amount += cents.value / 100;
        end = centsWord && unit ? unit.end : cents.end;
        next = k + 2;
      }
    }
  }
  const found: Found & { next: number } = { amount: round2(amount), start, end, next };
  if (currency !== undefined) found.currency = currency;
  return found;
}

function findMoney(
  u: Utterance,
  options: MoneyOptions,
): Array<{ money: Extraction<Money>; explicit: boolean }> {
  const defaultCurrency = options.defaultCurrency ?? 'USD';
  const { tokens, numbers } = u;
  const out: Array<{ money: Extraction<Money>; explicit: boolean }> = [];
  let k = 0;
  while (k < numbers.length) {
    const found = readAmount(tokens, numbers, k, defaultCurrency);
    k = found.next;
    if (found.currency === undefined && !options.bareNumbers) continue;
    if (found.amount < 0) continue;
    if (options.min !== undefined && found.amount < options.min) continue;
    if (options.max !== undefined && found.amount > options.max) continue;
    const money = extraction(
      u.text,
      { amount: found.amount, currency: found.currency ?? defaultCurrency },
      found.start,
      found.end,
    );
    out.push({ money, explicit: found.currency !== undefined });
  }
  return out;
}

export function extractMoneys(
  text: string | Utterance,
  options: MoneyOptions = {},
): Array<Extraction<Money>> {
  return findMoney(Utterance.of(text), options).map((m) => m.money);
}

/** The first amount with a currency; with `bareNumbers` and none said, the first bare amount. */
export function extractMoney(
  text: string | Utterance,
  options: MoneyOptions = {},
): Extraction<Money> | undefined {
  const all = findMoney(Utterance.of(text), options);
  return (all.find((m) => m.explicit) ?? all[0])?.money;
}
