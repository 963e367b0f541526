/**
 * Collecting one answer on a call, frame by frame on a fake clock: keypad timing as VoiceXML Appendix D
 * says, no-input after the prompts, barge-in allowed or not, speech recognised from just before its start.
 */
import { describe, expect, it } from 'vitest';
import type { SttResult, SttStream } from '../../speech/stt-port.ts';
import { FakeClock } from '../../voice/fake-clock.ts';
import type { DtmfDigit } from '../../voice/frames.ts';
import { AnswerCollector, type Answer } from './answer-collector.ts';
import type { AskSettings } from './voice-settings.ts';

const settings = (over: Partial<AskSettings> = {}): AskSettings => ({
  bargein: true,
  dtmf: true,
  speech: true,
  timeoutMs: 5000,
  maxSpeechMs: 10_000,
  keypad: { timeoutMs: 5000, interdigittimeoutMs: 3000, termtimeoutMs: 0, termchar: '#', minDigits: 8, maxDigits: 8, allowed: '0123456789*' },
  ...over,
});

function fakeStt(result: SttResult | Error) {
  const written: number[] = [];
  let started = 0;
  return {
    written,
    get started() {
      return started;
    },
    recognise: (): SttStream => {
      started++;
      return { write: (s) => void written.push(s.length), finish: () => (result instanceof Error ? Promise.reject(result) : Promise.resolve(result)), abort: () => undefined };
    },
  };
}

function keys(c: AnswerCollector, clock: FakeClock, digits: string, gapMs = 500): void {
  for (const d of digits) {
    c.key(d as DtmfDigit);
    clock.advance(gapMs);
  }
}

async function settled(c: AnswerCollector): Promise<Answer | 'pending'> {
  return Promise.race([c.answer, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);
}

describe('answering a question by keypad', () => {
  it('"press your 8-digit account number then #": the digits without the #', async () => {
    const clock = new FakeClock();
    const c = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 8000 });
    c.promptsDone();
    keys(c, clock, '12345678#');
    await expect(c.answer).resolves.toEqual({ type: 'digits', digits: '12345678' });
  });

  it('too few digits then # is a no-match; a pause longer than interdigittimeout ends the input', async () => {
    const clock = new FakeClock();
    const c = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 8000 });
    c.promptsDone();
    keys(c, clock, '123');
    clock.advance(3000);
    await expect(c.answer).resolves.toEqual({ type: 'noMatch', why: 'too-few' });
  });

  it('no key and no speech within timeout after the prompts is a no-input; the timer waits for the prompts', async () => {
    const clock = new FakeClock();
    const c = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 8000 });
    clock.advance(20_000); // prompts still playing
    expect(await settled(c)).toBe('pending');
    c.promptsDone();
    clock.advance(4999);
    expect(await settled(c)).toBe('pending');
    clock.advance(1);
    await expect(c.answer).resolves.toEqual({ type: 'noInput' });
  });

  it('takes keys during an interruptible prompt, and ignores them during a prompt that is not', async () => {
    const clock = new FakeClock();
    const open = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 8000 });
    keys(open, clock, '12345678');
    await expect(open.answer).resolves.toEqual({ type: 'digits', digits: '12345678' });

    const closed = new AnswerCollector({ clock, settings: settings({ bargein: false }), inboundRateHz: 8000 });
    keys(closed, clock, '9999');
    closed.promptsDone();
    keys(closed, clock, '12345678');
    await expect(closed.answer).resolves.toEqual({ type: 'digits', digits: '12345678' });
  });

  it('ignores keys when the question takes voice only', async () => {
    const clock = new FakeClock();
    const c = new AnswerCollector({ clock, settings: settings({ dtmf: false, keypad: undefined }), inboundRateHz: 8000 });
    c.promptsDone();
    keys(c, clock, '1#');
    clock.advance(5000);
    await expect(c.answer).resolves.toEqual({ type: 'noInput' });
  });
});

describe('answering a question by voice', () => {
  it('recognises from a little before the start of speech to its end, at 16 kHz', async () => {
    const clock = new FakeClock();
    const stt = fakeStt({ text: 'check my balance', confidence: 0.9 });
    const c = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 8000, recognise: stt.recognise });
    c.promptsDone();
    for (let i = 0; i < 50; i++) c.audio(new Int16Array(160)); // a second of quiet before
    c.speech({ type: 'speech-start', atMs: 0 });
    for (let i = 0; i < 10; i++) c.audio(new Int16Array(160).fill(1000));
    c.speech({ type: 'speech-stop', atMs: 200 });
    await expect(c.answer).resolves.toEqual({ type: 'speech', text: 'check my balance', confidence: 0.9 });
    const total = stt.written.reduce((a, b) => a + b, 0);
    // 300 ms of pre-roll (4800 samples at 16 kHz) plus 200 ms of speech (3200).
    expect(total).toBeGreaterThanOrEqual(4800 + 3200);
    expect(total).toBeLessThanOrEqual(4800 + 3200 + 320);
  });

  it('nothing recognised is a no-match; a failing recogniser is an error; a caller who stops sending ends the speech', async () => {
    const clock = new FakeClock();
    const empty = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 16000, recognise: fakeStt({ text: '', confidence: 0 }).recognise });
    empty.speech({ type: 'speech-start', atMs: 0 });
    empty.audio(new Int16Array(320));
    clock.advance(700);
    await expect(empty.answer).resolves.toEqual({ type: 'noMatch', why: 'no-words' });

    const broken = new AnswerCollector({ clock, settings: settings(), inboundRateHz: 16000, recognise: fakeStt(new Error('recogniser crashed')).recognise });
    broken.speech({ type: 'speech-start', atMs: 0 });
    broken.speech({ type: 'speech-stop', atMs: 500 });
    await expect(broken.answer).resolves.toMatchObject({ type: 'error', error: { message: 'recogniser crashed' } });
  });

  it('ignores speech during a prompt that cannot be interrupted, and keys once speech has started', async () => {
    const clock = new FakeClock();
    const stt = fakeStt({ text: 'yes', confidence: 1 });
    const c = new AnswerCollector({ clock, settings: settings({ bargein: false }), inboundRateHz: 8000, recognise: stt.recognise });
    c.speech({ type: 'speech-start', atMs: 0 });
    expect(stt.started).toBe(0);
    c.promptsDone();
    c.speech({ type: 'speech-start', atMs: 0 });
    keys(c, clock, '1234', 10);
    c.speech({ type: 'speech-stop', atMs: 0 });
    await expect(c.answer).resolves.toEqual({ type: 'speech', text: 'yes', confidence: 1 });
  });
});
