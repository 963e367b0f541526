import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.ts';
import { FrameHarness } from './frame-harness.ts';
import { FrameQueue } from './frame-queue.ts';
import { audioFrame, dispatchFrame, type Frame } from './frames.ts';
import { composeProcessors, mapFrames, Pipeline, type Emit, type FrameProcessor } from './processor.ts';

/** Doubles every audio sample (a stand-in for a gain stage). */
const gain = mapFrames((f) => (f.type === 'audio' ? { ...f, samples: f.samples.map((v) => v * 2) } : f));

/** Emits later, like a speech engine: keeps the emit function and answers after a delay. */
class DelayedEcho implements FrameProcessor {
  readonly #clock: FakeClock;
  closed = false;
  constructor(clock: FakeClock) {
    this.#clock = clock;
  }
  process(frame: Frame, emit: Emit): void {
    emit(frame);
    if (frame.type === 'speak')
      this.#clock.setTimer(100, () =>
        emit({ type: 'transcript', text: frame.text, confidence: 1, final: true }),
      );
  }
  close(): void {
    this.closed = true;
  }
}

describe('frame pipeline', () => {
  it('runs frames through processors in order', () => {
    const harness = new FrameHarness(gain, gain);
    harness.push(audioFrame(Int16Array.from([1, -2]), 8000));
    expect(Array.from(harness.ofType('audio')[0]?.samples ?? [])).toEqual([4, -8]);
  });

  it('lets a processor drop, split or emit later, and closes every processor once', () => {
    const clock = new FakeClock();
    const echo = new DelayedEcho(clock);
    const dropDtmf = mapFrames((f) => (f.type === 'dtmf' ? undefined : f));
    const split = mapFrames((f) => (f.type === 'end' ? [{ type: 'interrupt', reason: 'request' }, f] : f));
    const harness = new FrameHarness(composeProcessors(dropDtmf, echo), split);
    harness.push(
      { type: 'dtmf', digit: '1', durationMs: 80, source: 'info' },
      { type: 'speak', text: 'hi', ssml: false, bargein: true },
    );
    expect(harness.types()).toEqual(['speak']);
    clock.advance(100);
    harness.push({ type: 'end', reason: 'hangup' });
    expect(harness.types()).toEqual(['speak', 'transcript', 'interrupt', 'end']);
    harness.close();
    harness.close();
    expect(echo.closed).toBe(true);
  });

  it('drops frames pushed after close', () => {
    const seen: Frame[] = [];
    const pipeline = new Pipeline([gain], (f) => seen.push(f));
    pipeline.close();
    pipeline.push({ type: 'end', reason: 'x' });
    expect(seen).toEqual([]);
  });

  it('dispatches on every frame type', () => {
    const kind = (f: Frame): string =>
      dispatchFrame(f, {
        audio: (a) => `audio@${a.sampleRateHz}`,
        dtmf: (d) => `dtmf ${d.digit}`,
        transcript: (t) => `text ${t.text}`,
        speak: (s) => `say ${s.text}`,
        interrupt: (i) => `interrupt ${i.reason}`,
        end: () => 'end',
      });
    expect(kind(audioFrame(new Int16Array(1), 16000))).toBe('audio@16000');
    expect(kind({ type: 'interrupt', reason: 'speech' })).toBe('interrupt speech');
  });
});

describe('frame queue (async iterable)', () => {
  it('delivers pushed frames to a for-await reader and finishes on end', async () => {
    const queue = new FrameQueue();
    const read = (async () => {
      const got: string[] = [];
      for await (const frame of queue) got.push(frame.type);
      return got;
    })();
    queue.push({ type: 'dtmf', digit: '#', durationMs: 100, source: 'rfc4733' });
    await Promise.resolve();
    queue.push({ type: 'end', reason: 'bye' });
    queue.end();
    expect(await read).toEqual(['dtmf', 'end']);
  });

  it('drops the oldest audio, never DTMF, when the reader falls behind', async () => {
    const queue = new FrameQueue({ maxQueued: 3 });
    queue.push({ type: 'dtmf', digit: '1', durationMs: 100, source: 'inband' });
    for (let i = 0; i < 5; i++) queue.push(audioFrame(new Int16Array(1), 8000, i * 20));
    queue.end();
    const got: Frame[] = [];
    for await (const frame of queue) got.push(frame);
    expect(got.map((f) => (f.type === 'audio' ? f.timestampMs : f.type))).toEqual(['dtmf', 60, 80]);
    expect(queue.dropped).toBe(3);
  });
});
