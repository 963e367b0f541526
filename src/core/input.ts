/** What a channel feeds the dialog engine: a closed union. */

export interface RankedIntent {
  name: string;
  /** 0–1 */
  confidence: number;
}

export interface ExtractedEntity {
  /** The entity name in the bot (or the built-in type when the NLU found it unasked). */
  name: string;
  value: unknown;
  /** The words it was found in. */
  text: string;
}

/** One request of an utterance that holds several ("check my balance and then pay my bill"). */
export interface IntentSegment extends RankedIntent {
  /** The words of this request. */
  text: string;
}

/** What the NLU port made of a text: produced outside the core, consumed by it. */
export interface Understanding {
  intents: RankedIntent[];
  entities: ExtractedEntity[];
  /** −1 … 1 */
  sentiment?: number;
  /** The customer corrects an earlier value ("no, make that two hundred"). */
  amend?: boolean;
  /** Several requests in one utterance, in the order said; absent when there is one. */
  multi?: IntentSegment[];
}

export type Input =
  | { type: 'start' }
  | { type: 'text'; text: string; understanding: Understanding; asrConfidence?: number }
  | { type: 'dtmf'; digits: string }
  | { type: 'noInput' }
  | { type: 'noMatch' }
  | { type: 'hangup'; reason?: string }
  | { type: 'event'; name: string; data?: Record<string, unknown> }
  | ServiceResult
  | EscalationResult;

export interface ServiceResult {
  type: 'serviceResult';
  requestId: string;
  ok: boolean;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  error?: string;
}

/** Whether the hand-off could be placed with a human now. */
export interface EscalationResult {
  type: 'escalationResult';
  available: boolean;
  queue?: string;
  historyKey?: string;
}

export type InputType = Input['type'];
