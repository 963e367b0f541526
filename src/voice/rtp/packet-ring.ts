/**
 * Pre-allocated buffers for one sender's outgoing datagrams, handed out in turn, so that sending a
 * packet every 20 ms allocates nothing.
 *
 * Why a ring and not one buffer: `dgram.send` usually hands the bytes to the kernel before it returns,
 * but when the socket's send queue is full libuv queues the datagram and reads the buffer later, until
 * the send callback runs. So a buffer is written again only once its own send has called back: each slot
 * has its own callback (made once, so passing it allocates nothing) that marks it free. When no slot is
 * free, `take` gives a fresh one: slower, never wrong. A caller that never calls `done` (a test keeping
 * every packet) therefore gets a fresh buffer every time once the ring's slots are used up.
 */

/** What `dgram.send` calls back with. */
export type SendCallback = (error: Error | null) => void;

export class PacketSlot {
  /** The whole buffer: write the datagram from offset 0, then send `packet(length)`. */
  readonly bytes: Uint8Array;
  /** Give this to `dgram.send` as its callback, or call it at once when the datagram is not sent. */
  readonly done: SendCallback;
  #busy = false;
  #view: Uint8Array;

  constructor(bytes: number, onSendError: ((error: Error) => void) | undefined) {
    this.bytes = new Uint8Array(bytes);
    this.#view = this.bytes;
    this.done = (error) => {
      this.#busy = false;
      if (error) onSendError?.(error);
    };
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Marks the slot as in use until `done` is called. */
  claim(): this {
    this.#busy = true;
    return this;
  }

  /** The first `length` bytes, as a view kept for next time: an audio stream sends the same length every time. */
  packet(length: number): Uint8Array {
    if (this.#view.length !== length) this.#view = this.bytes.subarray(0, length);
    return this.#view;
  }
}

export class PacketRing {
  readonly slotBytes: number;
  readonly #slots: PacketSlot[];
  readonly #onSendError: ((error: Error) => void) | undefined;
  #next = 0;

  constructor(options: { slots?: number; slotBytes?: number; onSendError?: (error: Error) => void } = {}) {
    this.slotBytes = options.slotBytes ?? 1500;
    this.#onSendError = options.onSendError;
    this.#slots = Array.from(
      { length: options.slots ?? 4 },
      () => new PacketSlot(this.slotBytes, options.onSendError),
    );
  }

  /** The next free slot (a fresh one when all are still being sent). */
  take(): PacketSlot {
    const count = this.#slots.length;
    for (let i = 0; i < count; i++) {
      const slot = this.#slots[this.#next] as PacketSlot;
      this.#next = (this.#next + 1) % count;
      if (!slot.busy) return slot.claim();
    }
    return new PacketSlot(this.slotBytes, this.#onSendError).claim();
  }
}
