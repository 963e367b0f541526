import { ParleyError } from '../errors.ts';

/**
 * Reads a RIFF/WAVE stream as it arrives: the header gives the sample rate, and everything after the
 * `data` chunk's header is PCM, whatever length the header claims (a program writing to a pipe cannot know
 * it and puts a placeholder). Only 16-bit PCM is accepted; stereo is mixed down to mono.
 */
export class WavStreamReader {
  #header: Buffer | undefined = Buffer.alloc(0);
  #format: { sampleRateHz: number; channels: number } | undefined;
  #carry: Buffer = Buffer.alloc(0);

  constructor(private readonly source: string) {}

  get sampleRateHz(): number | undefined {
    return this.#format?.sampleRateHz;
  }

  /** Feeds bytes; returns the samples they complete (empty while the header is still coming). */
  push(bytes: Buffer): Int16Array {
    if (this.#header !== undefined) {
      this.#header = Buffer.concat([this.#header, bytes]);
      const start = this.#parseHeader(this.#header);
      if (start === undefined) return new Int16Array(0);
      bytes = this.#header.subarray(start);
      this.#header = undefined;
    }
    const format = this.#format!;
    const frameBytes = 2 * format.channels;
    const all = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    const usable = all.length - (all.length % frameBytes);
    this.#carry = Buffer.from(all.subarray(usable));
    const frames = usable / frameBytes;
    const out = new Int16Array(frames);
    for (let i = 0; i < frames; i++) {
      if (format.channels === 1) out[i] = all.readInt16LE(i * 2);
      else {
        let sum = 0;
        for (let c = 0; c < format.channels; c++) sum += all.readInt16LE(i * frameBytes + c * 2);
        out[i] = Math.round(sum / format.channels);
      }
    }
    return out;
  }

  /** Offset of the first PCM byte once the header is complete; undefined while more is needed. */
  #parseHeader(buf: Buffer): number | undefined {
    if (buf.length < 12) return undefined;
    if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
      throw new ParleyError('PARLEY_ERR_SPEECH', `${this.source} did not produce WAV audio`);
    }
    let offset = 12;
    while (offset + 8 <= buf.length) {
      const id = buf.toString('ascii', offset, offset + 4);
      const size = buf.readUInt32LE(offset + 4);
      if (id === 'data') {
        if (!this.#format) throw new ParleyError('PARLEY_ERR_SPEECH', `${this.source} wrote WAV data before its format`);
        return offset + 8;
      }
      if (offset + 8 + size > buf.length) return undefined;
      if (id === 'fmt ') {
        const audioFormat = buf.readUInt16LE(offset + 8);
        const channels = buf.readUInt16LE(offset + 10);
        const sampleRateHz = buf.readUInt32LE(offset + 12);
        const bits = buf.readUInt16LE(offset + 22);
        if ((audioFormat !== 1 && audioFormat !== 0xfffe) || bits !== 16 || channels < 1) {
          throw new ParleyError('PARLEY_ERR_SPEECH', `${this.source} produced ${bits}-bit WAV (format ${audioFormat}); 16-bit PCM is needed`);
        }
        this.#format = { sampleRateHz, channels };
      }
      offset += 8 + size + (size % 2);
    }
    return undefined;
  }
}
