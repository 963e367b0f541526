import type { DtmfDigit, Frame } from '../frames.ts';
import type { Emit, FrameProcessor } from '../processor.ts';
import { meanPower, tonePower } from '../signal.ts';
import { DTMF_COLUMNS_HZ, DTMF_KEYPAD, DTMF_ROWS_HZ } from './dtmf-tone.ts';

/**
 * In-band DTMF detection: Goertzel filters at the eight DTMF frequencies over blocks of about 25 ms
 * (205 samples at 8 kHz, 410 at 16 kHz). A block holds a digit when the strongest row and column
 * tones are loud enough, within the allowed twist of each other, clearly above the other tones of
 * their group, and make up most of the block's energy (speech and music do not). A digit starts
 * after two such blocks in a row (about 50 ms, above the 40 ms minimum of ITU-T Q.24) and ends after
 * two blocks without it; it is emitted once, at its end, with its duration.
 *
 * As a processor it passes every frame through and adds a DTMF frame (source 'inband') after the
 * audio frame in which a digit ends.
 */

export interface InbandDetectorOptions {
  /** Quietest tone accepted, as dB below a full-scale sine. */
  minToneDb?: number;
  /** Column tone louder than row tone by at most this (normal twist), dB. */
  maxNormalTwistDb?: number;
  /** Row tone louder than column tone by at most this (reverse twist), dB. */
  maxReverseTwistDb?: number;
  /** The two tones' share of the block energy, 0–1. */
  minPurity?: number;
}

type DtmfFrame = Extract<Frame, { type: 'dtmf' }>;

const BLOCK_MS = 25.625; // 205 samples at 8 kHz
const NO_DIGITS: readonly DtmfFrame[] = Object.freeze([]);
const FULL_SCALE_SINE_POWER = (32767 * 32767) / 2;

export class InbandDtmfDetector implements FrameProcessor {
  readonly #minTonePower: number;
  readonly #maxNormalTwist: number;
  readonly #maxReverseTwist: number;
  readonly #minPurity: number;
  #sampleRateHz = 0;
  #blockLength = 0;
  #block = new Float64Array(0);
  #filled = 0;
  /** Tone powers of the current block (kept: a block is classified every 25 ms). */
  readonly #rows = new Float64Array(4);
  readonly #columns = new Float64Array(4);
  /** The digit seen in the previous block, the digit currently on, and for how many blocks. */
  #previous: DtmfDigit | undefined;
  #active: DtmfDigit | undefined;
  #activeBlocks = 0;
  #missedBlocks = 0;

  constructor(options: InbandDetectorOptions = {}) {
    this.#minTonePower = FULL_SCALE_SINE_POWER * 10 ** ((options.minToneDb ?? -36) / 10);
    this.#maxNormalTwist = 10 ** ((options.maxNormalTwistDb ?? 8) / 10);
    this.#maxReverseTwist = 10 ** ((options.maxReverseTwistDb ?? 8) / 10);
    this.#minPurity = options.minPurity ?? 0.7;
  }

  process(frame: Frame, emit: Emit): void {
    emit(frame);
    if (frame.type === 'audio') {
      const digits = this.detect(frame.samples, frame.sampleRateHz);
      for (let i = 0; i < digits.length; i++) emit(digits[i] as DtmfFrame);
    } else if (frame.type === 'end') {
      const last = this.#endDigit();
      if (last) emit(last);
    }
  }

  /** Feed samples; returns the digits that ended within them (nearly always none: a shared empty array). */
  detect(samples: Int16Array, sampleRateHz: number): readonly DtmfFrame[] {
    if (sampleRateHz !== this.#sampleRateHz) {
      this.#sampleRateHz = sampleRateHz;
      this.#blockLength = Math.round((BLOCK_MS * sampleRateHz) / 1000);
      this.#block = new Float64Array(this.#blockLength);
      this.#filled = 0;
    }
    let out: DtmfFrame[] | undefined;
    for (let i = 0; i < samples.length; i++) {
      this.#block[this.#filled++] = samples[i] as number;
      if (this.#filled === this.#blockLength) {
        this.#filled = 0;
        const ended = this.#onBlock(this.#classify(this.#block));
        if (ended) (out ??= []).push(ended);
      }
    }
    return out ?? NO_DIGITS;
  }

  #classify(block: Float64Array): DtmfDigit | undefined {
    const rate = this.#sampleRateHz;
    const rows = this.#rows;
    const columns = this.#columns;
    for (let i = 0; i < 4; i++) {
      rows[i] = tonePower(block, DTMF_ROWS_HZ[i] as number, rate);
      columns[i] = tonePower(block, DTMF_COLUMNS_HZ[i] as number, rate);
    }
    const row = strongest(rows);
    const column = strongest(columns);
    const rowPower = rows[row] as number;
    const columnPower = columns[column] as number;
    if (rowPower < this.#minTonePower || columnPower < this.#minTonePower) return undefined;
    if (columnPower > rowPower * this.#maxNormalTwist || rowPower > columnPower * this.#maxReverseTwist)
      return undefined;
    // Each winner at least 6 dB above the rest of its group.
    if (othersNear(rows, row)) return undefined;
    if (othersNear(columns, column)) return undefined;
    if (rowPower + columnPower < this.#minPurity * meanPower(block)) return undefined;
    return (DTMF_KEYPAD[row] as string)[column] as DtmfDigit;
  }

  #onBlock(seen: DtmfDigit | undefined): Extract<Frame, { type: 'dtmf' }> | undefined {
    let ended: Extract<Frame, { type: 'dtmf' }> | undefined;
    if (this.#active) {
      if (seen === this.#active) {
        this.#activeBlocks += 1 + this.#missedBlocks;
        this.#missedBlocks = 0;
      } else if (++this.#missedBlocks >= 2 || (seen !== undefined && seen === this.#previous)) {
        ended = this.#endDigit();
      }
    } else if (seen !== undefined && seen === this.#previous) {
      this.#active = seen;
      this.#activeBlocks = 2;
      this.#missedBlocks = 0;
    }
    this.#previous = seen;
    return ended;
  }

  #endDigit(): Extract<Frame, { type: 'dtmf' }> | undefined {
    const digit = this.#active;
    if (!digit) return undefined;
    const durationMs = Math.round(this.#activeBlocks * BLOCK_MS);
    this.#active = undefined;
    this.#activeBlocks = 0;
    this.#missedBlocks = 0;
    return { type: 'dtmf', digit, durationMs, source: 'inband' };
  }
}

/** Is any tone but the winner within 6 dB of it? */
function othersNear(powers: Float64Array, winner: number): boolean {
  const limit = (powers[winner] as number) / 4;
  for (let i = 0; i < powers.length; i++) if (i !== winner && (powers[i] as number) > limit) return true;
  return false;
}

function strongest(powers: Float64Array): number {
  let best = 0;
  for (let i = 1; i < powers.length; i++) if ((powers[i] as number) > (powers[best] as number)) best = i;
  return best;
}
