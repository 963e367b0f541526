/**
 * ITU-T G.711 companding: µ-law (PCMU, North America/Japan) and A-law (PCMA, rest of the world).
 * 16-bit linear in and out. µ-law works on the top 14 bits, A-law on the top 13, as the
 * Recommendation defines them; negative inputs are taken in one's complement as it does, so -1
 * encodes as "negative zero". Decoding goes through 256-entry tables built from the segment formulas.
 */

/** µ-law code of 16-bit linear `sample`. */
export function linearToUlaw(sample: number): number {
  const negative = sample < 0;
  let magnitude = (negative ? ~sample : sample) >> 2; // 14-bit magnitude
  magnitude += 33; // bias
  if (magnitude > 0x1fff) magnitude = 0x1fff;
  const segment = 31 - Math.clz32(magnitude) - 5; // 0..7
  const mantissa = (magnitude >> (segment + 1)) & 0x0f;
  const raw = (negative ? 0x80 : 0) | (segment << 4) | mantissa;
  return ~raw & 0xff;
}

function ulawDecodeOne(code: number): number {
  const raw = ~code & 0xff;
  const segment = (raw >> 4) & 0x07;
  const mantissa = raw & 0x0f;
  const magnitude = ((((mantissa << 1) + 33) << segment) - 33) << 2;
  return raw & 0x80 ? -magnitude : magnitude;
}

/** A-law code of 16-bit linear `sample`. */
export function linearToAlaw(sample: number): number {
  const negative = sample < 0;
  const magnitude = (negative ? ~sample : sample) >> 4; // 0..2047
  let segment: number;
  let mantissa: number;
  if (magnitude < 32) {
    segment = magnitude >> 4;
    mantissa = magnitude & 0x0f;
  } else {
    segment = 31 - Math.clz32(magnitude) - 3; // 2..7
    mantissa = (magnitude >> (segment - 1)) & 0x0f;
  }
  const raw = (negative ? 0 : 0x80) | (segment << 4) | mantissa;
  return raw ^ 0x55;
}

function alawDecodeOne(code: number): number {
  const raw = code ^ 0x55;
  const segment = (raw >> 4) & 0x07;
  const mantissa = raw & 0x0f;
  const magnitude = segment === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 264) << (segment - 1);
  return raw & 0x80 ? magnitude : -magnitude;
}

export const ULAW_TO_LINEAR: Int16Array = Int16Array.from({ length: 256 }, (_, code) => ulawDecodeOne(code));
export const ALAW_TO_LINEAR: Int16Array = Int16Array.from({ length: 256 }, (_, code) => alawDecodeOne(code));

/** Code words for digital silence. */
export const ULAW_SILENCE = 0xff;
export const ALAW_SILENCE = 0xd5;

export function ulawToLinear(code: number): number {
  return ULAW_TO_LINEAR[code & 0xff] as number;
}

export function alawToLinear(code: number): number {
  return ALAW_TO_LINEAR[code & 0xff] as number;
}

export function encodeUlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  encodeUlawInto(samples, out, 0);
  return out;
}

/** Encode into `out` from `offset` (the RTP sender's packet buffer); returns the octets written. */
export function encodeUlawInto(samples: Int16Array, out: Uint8Array, offset: number): number {
  for (let i = 0; i < samples.length; i++) out[offset + i] = linearToUlaw(samples[i] as number);
  return samples.length;
}

export function decodeUlaw(payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = ULAW_TO_LINEAR[payload[i] as number] as number;
  return out;
}

export function encodeAlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  encodeAlawInto(samples, out, 0);
  return out;
}

/** Encode into `out` from `offset` (the RTP sender's packet buffer); returns the octets written. */
export function encodeAlawInto(samples: Int16Array, out: Uint8Array, offset: number): number {
  for (let i = 0; i < samples.length; i++) out[offset + i] = linearToAlaw(samples[i] as number);
  return samples.length;
}

export function decodeAlaw(payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = ALAW_TO_LINEAR[payload[i] as number] as number;
  return out;
}
