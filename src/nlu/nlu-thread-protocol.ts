import type { Expectation } from '../core/action.ts';
import type { EntityDef } from '../core/bot.ts';
import type { Understanding } from '../core/input.ts';
import type { BuiltinNluOptions } from './builtin-engine.ts';
import type { TrainingData } from './port.ts';

/** What the NLU thread is started with (`workerData`). */
export interface NluThreadData {
  options: BuiltinNluOptions;
}

/**
 * What the dialog waits for, as sent: an entity of the model's training data by its name (a list entity's
 * values can be long, and they are on the thread already), any other entity whole.
 */
export type SentExpectation =
  | Exclude<Expectation, { kind: 'entity' }>
  | { kind: 'entity'; entity: EntityDef }
  | { kind: 'entity'; name: string };

/** A request to the NLU thread; `id` comes back with its answer. */
export type ToNluThread =
  | { type: 'train'; id: number; model: number; data: TrainingData }
  | { type: 'understand'; id: number; model: number; text: string; expect: SentExpectation; nowMs: number }
  /** The model's handle was collected on the serving thread: its bot was replaced or removed. */
  | { type: 'drop'; model: number };

/** The NLU thread's answer to a request. */
export type FromNluThread =
  | { id: number; trained: true }
  | { id: number; understanding: Understanding }
  | { id: number; error: { message: string; code?: string } };
