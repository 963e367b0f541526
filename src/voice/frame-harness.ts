import type { Frame, FrameType } from './frames.ts';
import { Pipeline, type FrameProcessor } from './processor.ts';

/**
 * Drives processors frame by frame and records what comes out, for tests:
 *
 *   const h = new FrameHarness(new AudioOutQueue());
 *   h.push(audio, interrupt);
 *   expect(h.types()).toEqual(['interrupt']);
 */
export class FrameHarness {
  readonly output: Frame[] = [];
  readonly #pipeline: Pipeline;

  constructor(...processors: FrameProcessor[]) {
    this.#pipeline = new Pipeline(processors, (frame) => this.output.push(frame));
  }

  push(...frames: Frame[]): this {
    for (const frame of frames) this.#pipeline.push(frame);
    return this;
  }

  /** The frames emitted so far, removing them from `output`. */
  take(): Frame[] {
    return this.output.splice(0, this.output.length);
  }

  types(): FrameType[] {
    return this.output.map((f) => f.type);
  }

  ofType<K extends FrameType>(type: K): Array<Extract<Frame, { type: K }>> {
    return this.output.filter((f): f is Extract<Frame, { type: K }> => f.type === type);
  }

  close(): void {
    this.#pipeline.close();
  }
}
