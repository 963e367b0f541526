import { isDtmfDigit, type DtmfDigit, type DtmfFrame } from '../frames.ts';

/**
 * DTMF carried in SIP INFO requests. Two bodies are in use:
 *   application/dtmf-relay   "Signal=5\r\nDuration=160\r\n" (duration in ms)
 *   application/dtmf         "5" (a digit, or an RFC 4733 event code such as "11" for #)
 * Parsing is lenient about case, spaces and line endings, as the bodies vary between vendors.
 */

const DEFAULT_DURATION_MS = 250;

function signalToDigit(signal: string): DtmfDigit | undefined {
  const value = signal.trim().toUpperCase();
  if (isDtmfDigit(value)) return value;
  if (/^1[0-5]$/.test(value)) return '0123456789*#ABCD'[Number(value)] as DtmfDigit;
  return undefined;
}

/** The DTMF frame an INFO body carries, or undefined if it carries none. */
export function parseDtmfInfo(contentType: string, body: string): DtmfFrame | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/dtmf') {
    const digit = signalToDigit(body);
    return digit ? { type: 'dtmf', digit, durationMs: DEFAULT_DURATION_MS, source: 'info' } : undefined;
  }
  if (type !== 'application/dtmf-relay') return undefined;
  let digit: DtmfDigit | undefined;
  let durationMs = DEFAULT_DURATION_MS;
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal') digit = signalToDigit(value);
    else if (key === 'duration' && /^\d+$/.test(value)) durationMs = Number(value);
  }
  return digit ? { type: 'dtmf', digit, durationMs, source: 'info' } : undefined;
}

/** The application/dtmf-relay body for sending a digit by INFO. */
export function formatDtmfRelay(digit: DtmfDigit, durationMs: number): string {
  return `Signal=${digit}\r\nDuration=${Math.round(durationMs)}\r\n`;
}
