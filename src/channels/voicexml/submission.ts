/**
 * What an IVR request to the webhook means: the opening call from the IVR's `<subdialog>` (`message`,
 * `from`, `to`, custom variables), or a submit of one of Parley's documents (the caller's answer, or an
 * event). Pure; the route validates the token and finds the session before it asks.
 */
import type { IvrSettings } from '../../core/bot.ts';
import { EVENT_DETAIL_PARAM, EVENT_PARAM, ivrParamNames } from './params.ts';

export type IvrParams = Record<string, string | undefined>;

/** The opening request of the subdialog. */
export interface IvrStart {
  /** What the caller said before the IVR handed over (may be empty). */
  message?: string;
  /** The caller's identity (phone number): personal data. */
  from?: string;
  /** The bot's stream or number the IVR called. */
  to?: string;
  /** Every other parameter: `session.ivr.<name>` for the bot. */
  custom: Record<string, string>;
}

export type IvrTurn =
  /** Words (from the transcription or a voice grammar), or a keypad grammar's semantic value. */
  | { type: 'text'; text: string; mode: 'voice' | 'dtmf'; confidence?: number }
  /** Keys pressed (a digits grammar). */
  | { type: 'dtmf'; digits: string }
  /** The document ran out of retries (`exhausted`), or recognition confidence was under the threshold. */
  | { type: 'noInput'; exhausted: boolean }
  | { type: 'noMatch'; exhausted: boolean; confidence?: number }
  | { type: 'hangup' }
  | { type: 'error'; event: string }
  /** The document played what it had and asks Parley for what comes next. */
  | { type: 'continue' };

/** Parameters that are never custom variables of the opening request. */
export const RESERVED_START_PARAMS = ['token', 'session', 'message', 'from', 'to'];

export function readIvrStart(params: IvrParams, reserved: readonly string[] = RESERVED_START_PARAMS): IvrStart {
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && !reserved.includes(key)) custom[key] = value;
  }
  const start: IvrStart = { custom };
  if (params.message?.trim()) start.message = params.message.trim();
  if (params.from) start.from = params.from;
  if (params.to) start.to = params.to;
  return start;
}

function confidenceOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n > 1 ? Math.min(1, n / 100) : n;
}

/**
 * A submit of one of Parley's documents. Keys become `dtmf` (the keypad boolean's true/false as 1/2),
 * a keypad choice's value (a button) and words become `text`; the voice boolean's true/false become
 * `yes`/`no`. Voice input under
 * the bot's ASR confidence threshold is a no-match. Returns undefined when the request carries neither
 * an answer nor an event (then it is not a submit of Parley's documents).
 */
export function readIvrSubmission(params: IvrParams, settings: IvrSettings): IvrTurn | undefined {
  const names = ivrParamNames(settings);
  const event = params[EVENT_PARAM]?.trim();
  switch (event) {
    case 'noinput':
      return { type: 'noInput', exhausted: true };
    case 'nomatch':
      return { type: 'noMatch', exhausted: true };
    case 'hangup':
      return { type: 'hangup' };
    case 'error':
      return { type: 'error', event: params[EVENT_DETAIL_PARAM]?.trim() || 'error' };
    case 'continue':
      return { type: 'continue' };
    default:
      break;
  }
  // The configured key may also arrive literally (an IVR of the customer's own posting `userinput.confidence`).
  const raw = params[names.value] ?? params[settings.dataKey];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const mode = (params[names.inputMode] ?? '').trim() === 'dtmf' ? 'dtmf' : 'voice';
  if (value === '') return { type: 'noInput', exhausted: false };
  if (mode === 'dtmf') {
    // Keys go to the engine as keys (it reads them per expected entity); the keypad boolean is 1 = yes, 2 = no.
    if (/^[0-9*#]+$/.test(value)) return { type: 'dtmf', digits: value };
    if (value === 'true' || value === 'false') return { type: 'dtmf', digits: value === 'true' ? '1' : '2' };
  }
  const confidence = confidenceOf(params[names.confidence] ?? params[settings.confidenceKey]);
  if (mode === 'voice' && confidence !== undefined && confidence * 100 < settings.confidenceThreshold) {
    return { type: 'noMatch', exhausted: false, confidence };
  }
  const text = value === 'true' ? 'yes' : value === 'false' ? 'no' : value;
  return confidence === undefined ? { type: 'text', text, mode } : { type: 'text', text, mode, confidence };
}
