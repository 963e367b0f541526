import { describe, expect, it } from 'vitest';
import { FrameHarness } from '../frame-harness.ts';
import { audioFrame, type AudioFrame, type Frame } from '../frames.ts';
import { dominantFrequencyHz, sine } from '../signal.ts';
import { AudioOutQueue, type PlayoutEvent } from './audio-out-queue.ts';
import { BargeInDetector } from './barge-in-detector.ts';
import { EnergyVad, type VadEvent } from './energy-vad.ts';

/** Pseudo-random noise at roughly `peak` amplitude (deterministic). */
function noise(durationMs: number, sampleRateHz: number, peak: number, seed = 7): Int16Array {
  let state = seed;
  return Int16Array.from({ length: (durationMs * sampleRateHz) / 1000 }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return Math.round(((state / 0x7fffffff) * 2 - 1) * peak);
  });
}

/** Speech-like bursts: a voiced tone with a 4 Hz syllable envelope. */
function utterance(durationMs: number, sampleRateHz = 8000, peak = 6000): Int16Array {
  const tone = sine(180, durationMs, sampleRateHz, peak);
  return tone.map((v, i) => Math.round(v * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / sampleRateHz))));
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function frames20ms(samples: Int16Array, sampleRateHz = 8000): AudioFrame[] {
  const step = sampleRateHz / 50;
  const out: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += step)
    out.push(audioFrame(samples.slice(i, i + step), sampleRateHz, (i * 1000) / sampleRateHz));
  return out;
}

describe('audio-out queue', () => {
  it('plays queued audio out in packet-sized pieces, padding the last with silence', () => {
    const queue = new AudioOutQueue(8000);
    const events: PlayoutEvent[] = [];
    queue.onPlayout((e) => events.push(e));
    new FrameHarness(queue).push(
      audioFrame(
        Int16Array.from({ length: 250 }, () => 100),
        8000,
      ),
    );
    expect(queue.queuedMs).toBeCloseTo(31.25);
    const first = queue.read(160);
    const second = queue.read(160);
    expect(first?.every((v) => v === 100)).toBe(true);
    expect(Array.from(second?.subarray(88, 92) ?? [])).toEqual([100, 100, 0, 0]);
    expect(queue.read(160)).toBeUndefined();
    expect(events).toEqual([{ type: 'started' }, { type: 'finished' }]);
  });

  it('reads into a kept buffer, padding the end with silence and leaving it untouched when nothing plays', () => {
    const queue = new AudioOutQueue(8000);
    const out = new Int16Array(160).fill(-5);
    expect(queue.readInto(out)).toBe(false);
    expect(out.every((v) => v === -5)).toBe(true);
    queue.enqueue(Int16Array.from({ length: 100 }, () => 100), 8000);
    queue.enqueue(Int16Array.from({ length: 30 }, () => 200), 8000);
    expect(queue.readInto(out)).toBe(true);
    expect([out[0], out[99], out[100], out[129], out[130], out[159]]).toEqual([100, 100, 200, 200, 0, 0]);
    expect(queue.playing).toBe(false);
  });

  it('converts audio of another rate to its own (16 kHz speech into an 8 kHz call)', () => {
    const queue = new AudioOutQueue(8000);
    queue.enqueue(sine(1000, 200, 16000, 8000), 16000);
    expect(queue.queuedMs).toBeCloseTo(200);
    const out = concat(...Array.from({ length: 10 }, () => queue.read(160) ?? new Int16Array(0)));
    expect(dominantFrequencyHz(out, 8000)).toBe(1000);
  });

  it('flushes on an interrupt frame and passes the interrupt on', () => {
    const queue = new AudioOutQueue(8000);
    const events: PlayoutEvent[] = [];
    queue.onPlayout((e) => events.push(e));
    const harness = new FrameHarness(queue);
    harness.push(audioFrame(new Int16Array(8000), 8000));
    queue.read(160);
    harness.push({ type: 'interrupt', reason: 'request' });
    expect(queue.playing).toBe(false);
    expect(queue.read(160)).toBeUndefined();
    expect(harness.types()).toEqual(['interrupt']);
    expect(events).toEqual([{ type: 'started' }, { type: 'interrupted', reason: 'request' }]);
  });
});

describe('energy VAD', () => {
  function run(vad: EnergyVad, samples: Int16Array): VadEvent[] {
    return frames20ms(samples).flatMap((f) => vad.process(f.samples, 8000));
  }

  it('finds the start and end of an utterance, bridging short pauses', () => {
    const vad = new EnergyVad({ startMs: 60, hangoverMs: 400 });
    const events = run(
      vad,
      concat(
        new Int16Array(4000),
        utterance(600),
        new Int16Array(1600),
        utterance(400),
        new Int16Array(8000),
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-stop']);
    expect(events[0]?.atMs).toBeGreaterThanOrEqual(500 + 50);
    expect(events[0]?.atMs).toBeLessThanOrEqual(500 + 80);
    // 500 + 600 + 200 pause + 400 = 1700 ms of signal, then the 400 ms hangover
    expect(events[1]?.atMs).toBeGreaterThanOrEqual(2090);
    expect(events[1]?.atMs).toBeLessThanOrEqual(2120);
  });

  it('ignores clicks shorter than startMs', () => {
    const vad = new EnergyVad({ startMs: 60 });
    expect(run(vad, concat(new Int16Array(800), utterance(30), new Int16Array(4000)))).toEqual([]);
  });

  it('adapts to steady background noise and still hears speech above it', () => {
    const vad = new EnergyVad({ thresholdDbfs: -50, marginDb: 12 });
    const background = noise(3000, 8000, 600);
    expect(run(vad, background)).toEqual([]);
    const speechOverNoise = utterance(500).map((v, i) => v + (background[i] as number));
    expect(run(vad, speechOverNoise).map((e) => e.type)).toEqual(['speech-start']);
  });
});

describe('barge-in', () => {
  function setup(bargein: boolean) {
    const queue = new AudioOutQueue(8000);
    const outbound = new FrameHarness(queue);
    outbound.push({ ...audioFrame(new Int16Array(8000 * 3), 8000), bargein }); // a 3 s prompt
    queue.read(160); // it has started playing
    const speech: VadEvent[] = [];
    const inbound = new FrameHarness(
      new BargeInDetector(queue, { vad: { startMs: 60 }, onSpeech: (e) => speech.push(e) }),
    );
    return { queue, inbound, speech };
  }

  it('interrupts an interruptible prompt when the caller starts speaking', () => {
    const { queue, inbound } = setup(true);
    for (const frame of frames20ms(concat(new Int16Array(1600), utterance(300)))) inbound.push(frame);
    expect(queue.playing).toBe(false);
    expect(inbound.ofType('interrupt')).toEqual([{ type: 'interrupt', reason: 'speech' }]);
    // Every caller frame still flows on (for speech recognition), the interrupt right where speech began.
    const kinds = inbound.types();
    expect(kinds.filter((t) => t === 'audio')).toHaveLength(25);
    expect(kinds.indexOf('interrupt')).toBeGreaterThan(10);
    expect(kinds.indexOf('interrupt')).toBeLessThan(16);
  });

  it('lets a prompt with bargein off play through speech', () => {
    const { queue, inbound, speech } = setup(false);
    for (const frame of frames20ms(concat(new Int16Array(1600), utterance(500)))) inbound.push(frame);
    expect(speech.map((e) => e.type)).toEqual(['speech-start']); // heard, but not allowed to interrupt
    expect(queue.playing).toBe(true);
    expect(inbound.ofType('interrupt')).toEqual([]);
  });

  it('interrupts on a key press, ahead of the key, and does nothing when no prompt plays', () => {
    const { queue, inbound, speech } = setup(true);
    const key: Frame = { type: 'dtmf', digit: '3', durationMs: 100, source: 'rfc4733' };
    inbound.push(key);
    expect(inbound.types()).toEqual(['interrupt', 'dtmf']);
    expect(queue.playing).toBe(false);
    inbound.take();
    inbound.push(key);
    for (const frame of frames20ms(concat(new Int16Array(1600), utterance(300)))) inbound.push(frame);
    expect(speech.map((e) => e.type)).toEqual(['speech-start']);
    expect(inbound.ofType('interrupt')).toEqual([]);
  });
});
