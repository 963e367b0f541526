import type { Frame } from './frames.ts';

/**
 * Processors are push-based. The pipeline calls `process(frame, emit)` for each frame, in order; the
 * processor passes zero or more frames on by calling `emit`. `emit` is the same function for the
 * processor's whole life in one pipeline, so a processor that works asynchronously (speech to text,
 * text to speech) may keep it and call it later. Processors that hold frames back (the audio-out
 * queue) must let `interrupt` and `end` through at once: those are the pipeline's control frames.
 *
 * Push rather than async iterables because barge-in must reach a queue while that queue is busy
 * waiting to send: a push reaches it synchronously, a pulled iterator would wait its turn.
 */
export type Emit = (frame: Frame) => void;

export interface FrameProcessor {
  process(frame: Frame, emit: Emit): void;
  /** Release timers and resources; called once when the pipeline closes. */
  close?(): void;
}

/** A chain of processors ending in a sink. */
export class Pipeline {
  readonly #processors: readonly FrameProcessor[];
  readonly #entry: Emit;
  #closed = false;

  constructor(processors: readonly FrameProcessor[], sink: Emit) {
    this.#processors = processors;
    let next: Emit = sink;
    for (let i = processors.length - 1; i >= 0; i--) {
      const processor = processors[i] as FrameProcessor;
      const downstream = next;
      next = (frame) => processor.process(frame, downstream);
    }
    this.#entry = next;
  }

  push(frame: Frame): void {
    if (this.#closed) return;
    this.#entry(frame);
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const processor of this.#processors) processor.close?.();
  }
}

/** Several processors behaving as one (for nesting a chain inside another). */
export function composeProcessors(...processors: FrameProcessor[]): FrameProcessor {
  let pipeline: Pipeline | undefined;
  let boundEmit: Emit | undefined;
  return {
    process(frame, emit) {
      if (!pipeline || boundEmit !== emit) {
        if (pipeline) throw new Error('composeProcessors: emit changed; a processor belongs to one pipeline');
        boundEmit = emit;
        pipeline = new Pipeline(processors, emit);
      }
      pipeline.push(frame);
    },
    close() {
      if (pipeline) pipeline.close();
      else for (const processor of processors) processor.close?.();
    },
  };
}

/** A processor from a function of one frame (stateless transforms, filters, taps). */
export function mapFrames(fn: (frame: Frame) => Frame | readonly Frame[] | undefined): FrameProcessor {
  return {
    process(frame, emit) {
      const out = fn(frame);
      if (out === undefined) return;
      if (Array.isArray(out)) for (const f of out as readonly Frame[]) emit(f);
      else emit(out as Frame);
    },
  };
}
