/**
 * The last `capacity` samples of the caller's audio, kept in one buffer allocated once: the audio from a
 * little before the start of speech, which the recogniser is given first. Audio comes 50 times a second
 * while a question waits for an answer, and most of it is never recognised; keeping it costs no allocation.
 */
export class PreRoll {
  readonly #buffer: Int16Array;
  /** Where the next sample goes. */
  #end = 0;
  #length = 0;

  constructor(capacity: number) {
    this.#buffer = new Int16Array(Math.max(0, Math.ceil(capacity)));
  }

  get length(): number {
    return this.#length;
  }

  /** Keep the first `count` of `samples`, forgetting the oldest beyond capacity. */
  push(samples: Int16Array, count = samples.length): void {
    const buffer = this.#buffer;
    const capacity = buffer.length;
    if (capacity === 0) return;
    const from = Math.max(0, count - capacity);
    for (let i = from; i < count; i++) {
      buffer[this.#end] = samples[i] as number;
      this.#end = this.#end + 1 === capacity ? 0 : this.#end + 1;
    }
    this.#length = Math.min(capacity, this.#length + count - from);
  }

  /** What is kept, oldest first, in a new array; the pre-roll is empty afterwards. */
  take(): Int16Array {
    const buffer = this.#buffer;
    const out = new Int16Array(this.#length);
    let start = this.#end - this.#length;
    if (start < 0) start += buffer.length;
    for (let i = 0; i < out.length; i++) out[i] = buffer[(start + i) % buffer.length] as number;
    this.#length = 0;
    return out;
  }
}
