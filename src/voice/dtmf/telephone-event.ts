import { DTMF_DIGITS, type DtmfDigit } from '../frames.ts';

/**
 * The RFC 4733 §2.3 telephone-event payload: event code, end bit, volume, duration.
 *
 *    0                   1                   2                   3
 *   |     event     |E|R| volume    |          duration             |
 */
export interface TelephoneEvent {
  /** 0–9, 10 = *, 11 = #, 12–15 = A–D (RFC 4733 §3.2). */
  event: number;
  end: boolean;
  /** Power level as 0 to -63 dBm0, sent as its magnitude. */
  volume: number;
  /** Duration so far, in RTP timestamp units. */
  duration: number;
}

export const TELEPHONE_EVENT_LENGTH = 4;

export function digitToEvent(digit: DtmfDigit): number {
  return DTMF_DIGITS.indexOf(digit);
}

export function eventToDigit(event: number): DtmfDigit | undefined {
  return event >= 0 && event < 16 ? (DTMF_DIGITS[event] as DtmfDigit) : undefined;
}

export function encodeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  const out = new Uint8Array(TELEPHONE_EVENT_LENGTH);
  out[0] = e.event & 0xff;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out[2] = (e.duration >> 8) & 0xff;
  out[3] = e.duration & 0xff;
  return out;
}

/** Parse the first event of a payload (redundant extra blocks, RFC 4733 §2.5.1.5, are ignored). */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < TELEPHONE_EVENT_LENGTH) return undefined;
  return {
    event: payload[0] as number,
    end: ((payload[1] as number) & 0x80) !== 0,
    volume: (payload[1] as number) & 0x3f,
    duration: ((payload[2] as number) << 8) | (payload[3] as number),
  };
}
