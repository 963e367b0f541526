import {
  createHigherBand,
  createLowerBand,
  decodeHigher,
  decodeLower,
  encodeHigher,
  encodeLower,
  saturate16,
  type AdpcmBand,
} from './g722-adpcm.ts';

/**
 * ITU-T G.722 at 64 kbit/s (mode 1): 16 kHz wideband audio split by a quadrature mirror filter into
 * two 8 kHz sub-bands, coded with 6-bit and 2-bit ADPCM, one octet per pair of input samples
 * (higher-band bits in the two most significant positions).
 *
 * RTP quirk (RFC 3551 §4.5.2): the SDP and RTP clock rate is 8000 although the audio is sampled at
 * 16000 Hz, so 20 ms is 320 samples, 160 octets, and advances the RTP timestamp by 160.
 *
 * Samples are 16-bit linear in and out; the encoder and decoder keep state across calls, so use one
 * of each per direction of a call and feed whole packets in order. An odd sample count leaves the last
 * sample waiting for its pair until the next call.
 */

/** The 24-tap QMF, h(0)..h(23). */
const QMF = [
  3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876, 3876, 951, -805, -210, 362, 32, -156, 12, 53,
  -11, -11, 3,
];
const h = (i: number): number => QMF[i] as number;

export class G722Encoder {
  readonly #low: AdpcmBand = createLowerBand();
  readonly #high: AdpcmBand = createHigherBand();
  /** Input history, newest last (24 samples). */
  readonly #x = new Int32Array(24);
  #pending: number | undefined;

  encode(samples: Int16Array): Uint8Array {
    const total = samples.length + (this.#pending === undefined ? 0 : 1);
    const out = new Uint8Array(total >> 1);
    this.encodeInto(samples, out, 0);
    return out;
  }

  /** Encode into `out` from `offset` (room for half the samples, plus one); returns the octets written. */
  encodeInto(samples: Int16Array, out: Uint8Array, offset: number): number {
    let n = offset;
    let i = 0;
    if (this.#pending !== undefined && samples.length > 0) {
      out[n++] = this.#encodePair(this.#pending, samples[0] as number);
      this.#pending = undefined;
      i = 1;
    }
    for (; i + 1 < samples.length; i += 2)
      out[n++] = this.#encodePair(samples[i] as number, samples[i + 1] as number);
    if (i < samples.length) this.#pending = samples[i];
    return n - offset;
  }

  #encodePair(older: number, newer: number): number {
    const x = this.#x;
    x.copyWithin(0, 2);
    x[22] = older;
    x[23] = newer;
    // Transmit QMF: xa on the even taps from the newest sample back, xb on the odd taps.
    let xa = 0;
    let xb = 0;
    for (let i = 0; i < 12; i++) {
      xa += h(2 * i) * (x[23 - 2 * i] as number);
      xb += h(2 * i + 1) * (x[22 - 2 * i] as number);
    }
    const xl = saturate16((xa + xb) >> 14);
    const xh = saturate16((xa - xb) >> 14);
    const il = encodeLower(this.#low, xl);
    const ih = encodeHigher(this.#high, xh);
    return (ih << 6) | il;
  }
}

export class G722Decoder {
  readonly #low: AdpcmBand = createLowerBand();
  readonly #high: AdpcmBand = createHigherBand();
  /** Receive QMF histories, newest last (12 each). */
  readonly #xd = new Int32Array(12);
  readonly #xs = new Int32Array(12);

  decode(payload: Uint8Array): Int16Array {
    const out = new Int16Array(payload.length * 2);
    for (let n = 0; n < payload.length; n++) {
      const code = payload[n] as number;
      const rl = decodeLower(this.#low, code & 0x3f);
      const rh = decodeHigher(this.#high, code >> 6);
      this.#xd.copyWithin(0, 1);
      this.#xs.copyWithin(0, 1);
      this.#xd[11] = rl - rh;
      this.#xs[11] = rl + rh;
      let xout1 = 0;
      let xout2 = 0;
      for (let i = 0; i < 12; i++) {
        xout1 += h(2 * i) * (this.#xd[11 - i] as number);
        xout2 += h(2 * i + 1) * (this.#xs[11 - i] as number);
      }
      out[2 * n] = saturate16(xout1 >> 11);
      out[2 * n + 1] = saturate16(xout2 >> 11);
    }
    return out;
  }
}
