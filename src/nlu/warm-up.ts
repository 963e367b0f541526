/**
 * Warming a trained model up before it serves: V8 compiles a regular expression to machine code the second
 * time it runs, and chrono's date patterns are long, case-insensitive alternations: compiling them took
 * 150 ms in the first conversation after a start ("are you open on sunday", measured), during which the
 * event loop served nothing else (no chat turn, no RTP packet of any call). The same holds, in smaller
 * measure, for the classifier's and the extractors' code. Running the model over utterances that reach
 * every extractor, twice each, moves that cost to the bot's loading.
 */
import type { EntityDef } from '../core/bot.ts';
import type { Expectation } from '../core/action.ts';

/**
 * Utterances that reach every built-in extractor and chrono's parsers: a lone weekday (the weekday fast
 * path tests every other parser's pattern), digits and clock times, spoken dates and times, money, phone
 * numbers, emails, an amendment, several requests in one.
 */
export const WARM_UP_UTTERANCES: readonly string[] = [
  'are you open on saturday',
  'can I come in next friday at half past five p m',
  'pay 250 dollars on March the third at 10:30 am',
  'transfer fifty euros tomorrow morning, no, make that sixty',
  'call me back on 555 123 4567 or +44 20 7946 0958 in two hours',
  'my email is jane.doe@example.com and my account is 12345678',
  'in 3 days, 2026-03-12, 3/20 or the 21st of june',
  'yes please, and then tell me my balance',
];

/** How many of the bot's own training utterances are also run (the classifier's paths). */
const OWN_UTTERANCES = 8;

/** Runs `understand` on the warm-up utterances and a few of the bot's own, unasked and asked for each entity. */
export function warmUp(
  understand: (text: string, expect: Expectation) => unknown,
  own: readonly string[],
  entities: Record<string, EntityDef>,
): void {
  const texts = [...WARM_UP_UTTERANCES, ...own.slice(0, OWN_UTTERANCES)];
  const asked: Expectation[] = [
    { kind: 'confirm' },
    ...Object.values(entities).map((entity) => ({ kind: 'entity' as const, entity })),
  ];
  for (let pass = 0; pass < 2; pass++) {
    for (const text of texts) understand(text, { kind: 'intent' });
    for (const expect of asked) for (const text of WARM_UP_UTTERANCES) understand(text, expect);
  }
}
