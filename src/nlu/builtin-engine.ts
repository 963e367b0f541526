/**
 * The built-in NLU engine: the project's intent classifier trained on the bot's utterances, the entity
 * extractors, the sentiment lexicon and the multi-request splitter, behind the NLU port.
 *
 * Low confidence: `understand` returns the ranked intents with their confidences and drops none (only the
 * out-of-scope label, `oos`, when a bot trains one: what is left then ranks low); the dialog engine
 * applies `settings.nluThreshold`. The model's `threshold` is this bot's out-of-scope threshold, chosen
 * at training by cross-validation on the bot's own utterances (`chooseThreshold`), or given in the
 * options; it is 0 ("cannot tell") for a bot with fewer than three intents and no out-of-scope examples.
 * It decides which parts of a multi-request utterance count as requests (never under 0.5), and a
 * composition root may use it as the bot's `nluThreshold` when the author set none.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { BuiltinEntityType, EntityDef } from '../core/bot.ts';
import type { Understanding } from '../core/input.ts';
import { ParleyError } from '../errors.ts';
import {
  chooseThreshold,
  DEFAULT_OOS_LABEL,
  trainClassifier,
  type ClassifierOptions,
  type Example,
  type IntentClassifier,
} from './classifier/index.ts';
import { compilePattern } from './entities/regex.ts';
import { understandEntities } from './entities/understand.ts';
import { Utterance } from './entities/utterance.ts';
import { detectMultiIntent } from './multi-intent.ts';
import type { NluEngine, NluModel, TrainingData, UnderstandContext } from './port.ts';
import { sentiment } from './sentiment/sentiment.ts';
import { warmUp } from './warm-up.ts';

export interface BuiltinNluOptions {
  classifier?: ClassifierOptions;
  /** The out-of-scope threshold for every bot, instead of choosing one per bot by cross-validation. */
  threshold?: number;
  /** The intent name of out-of-scope examples in a bot ('oos'); never returned as an intent. */
  oosLabel?: string;
  /** IANA zone of callers for relative dates; the process's zone when absent. */
  timeZone?: string;
  /** Region of phone numbers said without a country code ('US'). */
  defaultRegion?: CountryCode;
  /** Currency of "$", "dollars" and bare amounts ('USD'). */
  defaultCurrency?: string;
  /** Built-in types reported under their type name when the bot did not declare them (date, time, money, email, phone). */
  systemEntities?: BuiltinEntityType[];
  /** Look for several requests in one utterance (true). */
  multiIntent?: boolean;
  /** How many ranked intents to return (5). */
  maxIntents?: number;
  /**
   * Run each trained model on sample utterances before it serves, so that its code and patterns are compiled
   * before the first caller waits for them (`warm-up.ts`; some 250 ms for the first bot of a process). For
   * servers; off by default.
   */
  warmUp?: boolean;
}

export interface BuiltinNluModel extends NluModel {
  /** This bot's out-of-scope threshold (0–1; 0 when it cannot be told). */
  readonly threshold: number;
  /** The trained classifier and threshold, serialisable. */
  toJSON(): unknown;
}

/** A part of a multi-request utterance needs at least this confidence, whatever the bot threshold. */
export const MIN_REQUEST_CONFIDENCE = 0.5;

function validatePatterns(entities: Record<string, EntityDef>): void {
  for (const def of Object.values(entities)) {
    if (def.type !== 'regex' || def.pattern === undefined) continue;
    try {
      compilePattern(def.pattern);
    } catch (err) {
      throw new ParleyError(
        'PARLEY_ERR_BOT_INVALID',
        `entity ${def.name}: the pattern is not a valid regular expression`,
        {
          cause: err,
          details: { entity: def.name },
        },
      );
    }
  }
}

function examplesOf(data: TrainingData): Example[] {
  return data.intents.flatMap((intent) => intent.utterances.map((text) => ({ text, intent: intent.name })));
}

export function createBuiltinNlu(options: BuiltinNluOptions = {}): NluEngine {
  const oosLabel = options.oosLabel ?? DEFAULT_OOS_LABEL;
  const maxIntents = options.maxIntents ?? 5;

  function trainNow(data: TrainingData, signal?: AbortSignal): BuiltinNluModel {
    signal?.throwIfAborted();
    validatePatterns(data.entities);
    const examples = examplesOf(data);
    const known = new Set(examples.map((e) => e.intent).filter((name) => name !== oosLabel));
    const classifier: IntentClassifier | undefined =
      examples.length > 0 ? trainClassifier(examples, options.classifier) : undefined;
    signal?.throwIfAborted();
    const threshold =
      options.threshold ??
      (classifier ? chooseThreshold(examples, { ...options.classifier, oosLabel }) : undefined) ??
      0;
    const ranked = (text: string): Understanding['intents'] =>
      (classifier?.predict(text) ?? []).filter((p) => p.name !== oosLabel).slice(0, maxIntents);

    const understandNow = (text: string, ctx: UnderstandContext): Understanding => {
      ctx.signal?.throwIfAborted();
      // analysed once: the entity extractors and the sentiment share its tokens
      const said = new Utterance(text);
      const found = understandEntities(said, ctx.expect, ctx.now, data.entities, options);
      const understanding: Understanding = {
        intents: ranked(text),
        entities: found.entities,
        sentiment: sentiment(said),
      };
      if (found.amend) understanding.amend = true;
      if (options.multiIntent !== false && known.size > 1) {
        const multi = detectMultiIntent(text, ranked, {
          threshold: Math.max(threshold, MIN_REQUEST_CONFIDENCE),
        });
        if (multi) understanding.multi = multi;
      }
      return understanding;
    };

    if (options.warmUp === true) {
      const now = new Date();
      warmUp((text, expect) => understandNow(text, { expect, now }), examples.map((e) => e.text), data.entities);
    }

    return {
      threshold,
      toJSON: () => ({ threshold, classifier: classifier?.toJSON() ?? null }),
      // the work is synchronous; `.then` turns a throw (an abort) into a rejection
      understand: (text, ctx) => Promise.resolve().then(() => understandNow(text, ctx)),
    };
  }

  return {
    name: 'builtin',
    train: (data: TrainingData, signal?: AbortSignal): Promise<BuiltinNluModel> =>
      Promise.resolve().then(() => trainNow(data, signal)),
  };
}
