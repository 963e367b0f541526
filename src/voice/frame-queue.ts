import type { Frame } from './frames.ts';

/**
 * A frame buffer read as an async iterable: the bridge from push-based processors to
 * `for await (const frame of session.frames())`. When a slow reader lets more than `maxQueued`
 * frames pile up, the oldest audio frames are dropped (never DTMF, transcripts or control frames).
 */
export class FrameQueue implements AsyncIterable<Frame> {
  readonly #items: Frame[] = [];
  readonly #waiters: Array<(r: IteratorResult<Frame>) => void> = [];
  readonly #maxQueued: number;
  #ended = false;
  #dropped = 0;

  constructor(options: { maxQueued?: number } = {}) {
    this.#maxQueued = options.maxQueued ?? 500;
  }

  push(frame: Frame): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter({ value: frame, done: false });
      return;
    }
    this.#items.push(frame);
    if (this.#items.length > this.#maxQueued) {
      const oldestAudio = this.#items.findIndex((f) => f.type === 'audio');
      if (oldestAudio >= 0) {
        this.#items.splice(oldestAudio, 1);
        this.#dropped++;
      }
    }
  }

  /** No more frames: readers finish once they have read what is queued. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter({ value: undefined, done: true });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Audio frames dropped because the reader fell behind. */
  get dropped(): number {
    return this.#dropped;
  }

  next(): Promise<IteratorResult<Frame>> {
    const item = this.#items.shift();
    if (item) return Promise.resolve({ value: item, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  [Symbol.asyncIterator](): AsyncIterator<Frame> {
    return { next: () => this.next() };
  }
}
