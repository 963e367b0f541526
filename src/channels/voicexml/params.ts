/**
 * The names of the request parameters Parley's documents submit back to the webhook. The caller's
 * answer goes under the bot's IVR data extraction key (`userinput`), the ASR confidence under its
 * confidence key (`userinput.confidence` is written `userinput_confidence`: a VoiceXML variable name holds
 * no dot), the input mode beside it; events under `parley_event`.
 */
import type { IvrSettings } from '../../core/bot.ts';
import { isVariableName } from './return-contract.ts';

export interface IvrParamNames {
  /** The field: the caller's words (or keys, or the grammar's semantic value). */
  value: string;
  /** The ASR confidence, 0.0–1.0 (`name$.confidence`). */
  confidence: string;
  /** `voice` or `dtmf` (`name$.inputmode`). */
  inputMode: string;
  /** `noinput`, `nomatch` (retries exhausted in the document), `hangup`, `error`, `continue`. */
  event: string;
  /** The VoiceXML event name of an error. */
  eventDetail: string;
}

export const EVENT_PARAM = 'parley_event';
export const EVENT_DETAIL_PARAM = 'parley_error';

export type IvrEventName = 'noinput' | 'nomatch' | 'hangup' | 'error' | 'continue';

/** A configured key as a VoiceXML variable name: characters an identifier cannot hold become `_`. */
export function variableNameFor(key: string, fallback: string): string {
  const cleaned = key.trim().replace(/[^\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}$]/gu, '_').replace(/^[\p{Nd}_]+/u, '').replace(/\$+$/, '');
  return isVariableName(cleaned) ? cleaned : fallback;
}

export function ivrParamNames(settings: Pick<IvrSettings, 'dataKey' | 'confidenceKey'>): IvrParamNames {
  const value = variableNameFor(settings.dataKey, 'userinput');
  let confidence = variableNameFor(settings.confidenceKey, `${value}_confidence`);
  if (confidence === value) confidence = `${value}_confidence`;
  return { value, confidence, inputMode: `${value}_inputmode`, event: EVENT_PARAM, eventDetail: EVENT_DETAIL_PARAM };
}
