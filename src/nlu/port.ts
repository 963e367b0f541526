import type { EntityDef, IntentDef } from '../core/bot.ts';
import type { Expectation } from '../core/action.ts';
import type { Understanding } from '../core/input.ts';

/** What an NLU engine learns from: a bot's intents and entities. */
export interface TrainingData {
  language: string;
  intents: IntentDef[];
  entities: Record<string, EntityDef>;
}

export interface UnderstandContext {
  /** What the dialog waits for: the expected entity is looked for first. */
  expect: Expectation;
  /** Reference time for relative dates ("next Friday"). */
  now: Date;
  signal?: AbortSignal;
}

/** A trained model for one bot. */
export interface NluModel {
  understand(text: string, ctx: UnderstandContext): Promise<Understanding>;
}

/** The NLU port: the built-in engine and external ones (an HTTP endpoint, a Rasa server) implement it. */
export interface NluEngine {
  readonly name: string;
  train(data: TrainingData, signal?: AbortSignal): Promise<NluModel>;
}
