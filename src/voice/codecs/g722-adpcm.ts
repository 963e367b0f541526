/**
 * The two sub-band ADPCM coders of ITU-T G.722 (64 kbit/s mode): a 6-bit lower band and a 2-bit
 * higher band, each with an adaptive scale factor and the pole-zero predictor of "block 4"
 * (two poles, six zeros). Written from the block descriptions of the Recommendation; the numeric
 * tables are the Recommendation's. All arithmetic is integer, as there, so that our encoder and a
 * peer's decoder (and the other way round) adapt in step.
 */

/** Lower-band quantizer decision levels (QUANTL), index 1..29 in use. */
const Q6 = [
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219,
  1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
];
/** 6-bit codes for negative and positive intervals, by interval number (1..30). */
const ILN = [
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7,
  6, 5, 4,
];
const ILP = [
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
  35, 34, 33, 32,
];
/** 4-bit inverse quantizer (INVQAL), by the top four bits of the code. */
const QM4 = [
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
];
/** 6-bit inverse quantizer (INVQBL, 64 kbit/s mode). */
const QM6 = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360,
  -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688,
  -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192,
  6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432,
  -136,
];
/** Lower-band log scale factor multipliers (LOGSCL) and their index by 4-bit code. */
const WL = [-60, -30, 58, 172, 334, 538, 1198, 3042];
const RL42 = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
/** Higher band: inverse quantizer (INVQAH), log scale factor multipliers (LOGSCH), code maps (QUANTH). */
const QM2 = [-7408, -1616, 7408, 1616];
const WH = [0, -214, 798];
const RH2 = [2, 1, 2, 1];
const IHN = [0, 1, 0];
const IHP = [0, 3, 2];
/** Antilog table shared by SCALEL and SCALEH. */
const ILB = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960,
  3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
];

const at = (table: readonly number[], i: number): number => table[i] as number;

export function saturate16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/** The reconstructed sub-band signals are held to 15 bits. */
export function limit15(value: number): number {
  return value > 16383 ? 16383 : value < -16384 ? -16384 : value;
}

/** One sub-band's state: predictor, delay lines and scale factor. */
export class AdpcmBand {
  /** Signal estimate (SL/SH) and its zero-section part (SZL/SZH). */
  estimate = 0;
  zeroEstimate = 0;
  /** Reconstructed signal, one and two samples back. */
  #r1 = 0;
  #r2 = 0;
  /** Partially reconstructed signal, one and two samples back. */
  #p1 = 0;
  #p2 = 0;
  /** Pole coefficients (Q14). */
  #a1 = 0;
  #a2 = 0;
  /** Zero coefficients b1..b6 (Q14) and quantized differences d1..d6. */
  readonly #b = new Int32Array(6);
  readonly #d = new Int32Array(6);
  /** Log scale factor and scale factor. */
  logScale = 0;
  scale: number;

  constructor(initialScale: number) {
    this.scale = initialScale;
  }

  /** Block 4: adapt the predictor to the new quantized difference `dq` and compute the next estimate. */
  updatePredictor(dq: number): void {
    const r0 = saturate16(this.estimate + dq); // RECONS
    const p0 = saturate16(dq + this.zeroEstimate); // PARREC
    const sg0 = p0 < 0;
    const sg1 = this.#p1 < 0;
    const sg2 = this.#p2 < 0;

    // UPPOL2
    const four = saturate16(this.#a1 * 4);
    let a2 = ((sg0 === sg1 ? -four : four) >> 7) + (sg0 === sg2 ? 128 : -128) + ((this.#a2 * 32512) >> 15);
    a2 = a2 > 12288 ? 12288 : a2 < -12288 ? -12288 : a2;

    // UPPOL1
    let a1 = saturate16((sg0 === sg1 ? 192 : -192) + ((this.#a1 * 32640) >> 15));
    const bound = 15360 - a2;
    a1 = a1 > bound ? bound : a1 < -bound ? -bound : a1;

    // UPZERO
    const step = dq === 0 ? 0 : 128;
    const dNegative = dq < 0;
    for (let i = 0; i < 6; i++) {
      const same = (this.#d[i] as number) < 0 === dNegative;
      this.#b[i] = saturate16((same ? step : -step) + (((this.#b[i] as number) * 32640) >> 15));
    }

    // DELAYA
    for (let i = 5; i > 0; i--) this.#d[i] = this.#d[i - 1] as number;
    this.#d[0] = dq;
    this.#a1 = a1;
    this.#a2 = a2;
    this.#r2 = this.#r1;
    this.#r1 = r0;
    this.#p2 = this.#p1;
    this.#p1 = p0;

    // FILTEP
    const pole = saturate16(
      ((this.#a1 * saturate16(this.#r1 * 2)) >> 15) + ((this.#a2 * saturate16(this.#r2 * 2)) >> 15),
    );
    // FILTEZ
    let zero = 0;
    for (let i = 0; i < 6; i++)
      zero += ((this.#b[i] as number) * saturate16((this.#d[i] as number) * 2)) >> 15;
    this.zeroEstimate = saturate16(zero);
    // PREDIC
    this.estimate = saturate16(pole + this.zeroEstimate);
  }
}

/** Scale factor from the log scale factor (SCALEL / SCALEH): `shiftBase` is 8 for the lower band, 10 for the higher. */
function scaleFromLog(logScale: number, shiftBase: number): number {
  const mantissa = at(ILB, (logScale >> 6) & 31);
  const shift = shiftBase - (logScale >> 11);
  return (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
}

export function createLowerBand(): AdpcmBand {
  return new AdpcmBand(32);
}

export function createHigherBand(): AdpcmBand {
  return new AdpcmBand(8);
}

/** Update the lower band after code `il` (6 bits): INVQAL, LOGSCL, SCALEL, block 4. */
function adaptLower(band: AdpcmBand, il: number): void {
  const code4 = il >> 2;
  const dq = (band.scale * at(QM4, code4)) >> 15;
  let logScale = ((band.logScale * 32512) >> 15) + at(WL, at(RL42, code4));
  logScale = logScale < 0 ? 0 : logScale > 18432 ? 18432 : logScale;
  band.logScale = logScale;
  band.scale = scaleFromLog(logScale, 8);
  band.updatePredictor(dq);
}

/** Update the higher band after code `ih` (2 bits) with quantized difference `dq`: LOGSCH, SCALEH, block 4. */
function adaptHigher(band: AdpcmBand, ih: number, dq: number): void {
  let logScale = ((band.logScale * 32512) >> 15) + at(WH, at(RH2, ih));
  logScale = logScale < 0 ? 0 : logScale > 22528 ? 22528 : logScale;
  band.logScale = logScale;
  band.scale = scaleFromLog(logScale, 10);
  band.updatePredictor(dq);
}

/** Encode one lower-band sample to a 6-bit code (QUANTL) and adapt. */
export function encodeLower(band: AdpcmBand, xl: number): number {
  const el = saturate16(xl - band.estimate);
  const magnitude = el >= 0 ? el : -(el + 1);
  let interval = 1;
  while (interval < 30 && magnitude >= (at(Q6, interval) * band.scale) >> 12) interval++;
  const il = el < 0 ? at(ILN, interval) : at(ILP, interval);
  adaptLower(band, il);
  return il;
}

/** Decode one 6-bit lower-band code to a reconstructed sample (INVQBL) and adapt. */
export function decodeLower(band: AdpcmBand, il: number): number {
  const dl = (band.scale * at(QM6, il & 63)) >> 15;
  const rl = limit15(band.estimate + dl);
  adaptLower(band, il & 63);
  return rl;
}

/** Encode one higher-band sample to a 2-bit code (QUANTH) and adapt. */
export function encodeHigher(band: AdpcmBand, xh: number): number {
  const eh = saturate16(xh - band.estimate);
  const magnitude = eh >= 0 ? eh : -(eh + 1);
  const interval = magnitude >= (564 * band.scale) >> 12 ? 2 : 1;
  const ih = eh < 0 ? at(IHN, interval) : at(IHP, interval);
  adaptHigher(band, ih, (band.scale * at(QM2, ih)) >> 15);
  return ih;
}

/** Decode one 2-bit higher-band code to a reconstructed sample (INVQAH) and adapt. */
export function decodeHigher(band: AdpcmBand, ih: number): number {
  const dh = (band.scale * at(QM2, ih & 3)) >> 15;
  const rh = limit15(band.estimate + dh);
  adaptHigher(band, ih & 3, dh);
  return rh;
}
