/**
 * An in-process call for the call layer's tests: a fake SIP leg (BYE, REFER with scripted NOTIFY outcomes)
 * and fake media (prompt audio "plays" for a set time, the caller presses keys and speaks), plus speech
 * providers that answer at once. What the caller heard is counted per prompt.
 */
import { CODECS } from '../../src/voice/codecs/codec.ts';
import type { PlayoutEvent } from '../../src/voice/barge-in/audio-out-queue.ts';
import type { DtmfDigit, Frame } from '../../src/voice/frames.ts';
import type { MediaStats } from '../../src/voice/media-session.ts';
import type { CallEnd, InfoEvent, ReferOptions } from '../../src/channels/sip/call-types.ts';
import type { ReferEvent } from '../../src/channels/sip/refer-subscription.ts';
import type { CallMedia } from '../../src/channels/sip-call/call-media.ts';
import type { CallLeg } from '../../src/channels/sip-call/call-session.ts';
import type { SttProvider, SttResult } from '../../src/speech/stt-port.ts';
import type { PcmChunk, TtsProvider } from '../../src/speech/tts-port.ts';

export class FakeMedia implements CallMedia {
  readonly media = { codec: CODECS.PCMU };
  /** Audio frames pushed to the caller, with their barge-in flag. */
  readonly played: Array<{ samples: number; bargein: boolean }> = [];
  /** Keys sent to this side (a bridge passing them on). */
  readonly keysSent: string[] = [];
  interruptions = 0;
  closed = false;
  #frameListeners = new Set<(frame: Frame) => void>();
  #playoutListeners = new Set<(event: PlayoutEvent) => void>();
  #queuedMs = 0;
  #bargeable = true;
  #timer: NodeJS.Timeout | undefined;

  /** How long a pushed audio chunk plays, in real milliseconds. */
  constructor(private readonly playMsPerChunk = 20) {}

  get playing(): boolean {
    return this.#queuedMs > 0;
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    this.#frameListeners.add(listener);
    return () => this.#frameListeners.delete(listener);
  }

  onPlayout(listener: (event: PlayoutEvent) => void): () => void {
    this.#playoutListeners.add(listener);
    return () => this.#playoutListeners.delete(listener);
  }

  push(frame: Frame): void {
    if (frame.type === 'interrupt') return this.#interrupt('request');
    if (frame.type === 'dtmf') this.keysSent.push(frame.digit);
    if (frame.type !== 'audio') return;
    this.played.push({ samples: frame.samples.length, bargein: frame.bargein ?? true });
    this.#bargeable = frame.bargein ?? true;
    if (this.#queuedMs === 0) this.#notify({ type: 'started' });
    this.#queuedMs += this.playMsPerChunk;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#queuedMs = 0;
      this.#notify({ type: 'finished' });
    }, this.#queuedMs);
  }

  /** The caller presses a key: like the media layer, it cuts an interruptible prompt first. */
  key(digit: DtmfDigit): void {
    if (this.playing && this.#bargeable) this.#interrupt('dtmf');
    this.#emit({ type: 'dtmf', digit, durationMs: 100, source: 'rfc4733' });
  }

  keys(digits: string): void {
    for (const d of digits) this.key(d as DtmfDigit);
  }

  /** The caller's audio (8 kHz frames of 20 ms). */
  audio(frames: number, level = 0): void {
    for (let i = 0; i < frames; i++) this.#emit({ type: 'audio', samples: new Int16Array(160).fill(level), sampleRateHz: 8000, timestampMs: 0 });
  }

  receiveInfoDtmf(): boolean {
    return false;
  }

  stats(): MediaStats {
    return {
      codec: 'PCMU',
      direction: 'sendrecv',
      packetsSent: this.played.length,
      octetsSent: 0,
      received: { packetsReceived: 0, packetsLost: 0, jitterMs: 0, late: 0, duplicates: 0, ignored: 0 },
      sendTiming: { ticks: 0, skipped: 0, meanDeviationMs: 0, p99DeviationMs: 0, maxDeviationMs: 0 },
    };
  }

  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.#timer);
    return Promise.resolve();
  }

  #interrupt(reason: 'speech' | 'dtmf' | 'request'): void {
    if (this.#queuedMs === 0) return;
    clearTimeout(this.#timer);
    this.#queuedMs = 0;
    this.interruptions++;
    this.#notify({ type: 'interrupted', reason });
  }

  #emit(frame: Frame): void {
    for (const l of [...this.#frameListeners]) l(frame);
  }

  #notify(event: PlayoutEvent): void {
    for (const l of [...this.#playoutListeners]) l(event);
  }
}

export type ReferScript = 'success' | 'rejected' | 'failed' | 'unsupported';

export class FakeLeg implements CallLeg {
  readonly callId = 'fake-call-1';
  state: CallLeg['state'] = 'confirmed';
  readonly ended: Promise<CallEnd>;
  readonly refers: Array<{ target: string; headers: Record<string, string> }> = [];
  byes = 0;
  #end!: (end: CallEnd) => void;

  /** One outcome per REFER, in order; `success` once they run out. */
  constructor(private readonly referScript: ReferScript[] = []) {
    this.ended = new Promise((resolve) => (this.#end = resolve));
  }

  /** The caller hangs up. */
  hangUp(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.#end({ reason: 'remote-bye' });
  }

  bye(): Promise<void> {
    if (this.state !== 'ended') {
      this.byes++;
      this.state = 'ended';
      this.#end({ reason: 'local-bye' });
    }
    return Promise.resolve();
  }

  onInfo(_handler: (info: InfoEvent) => void): () => void {
    return () => undefined;
  }

  refer(target: string, options: ReferOptions = {}): ReturnType<CallLeg['refer']> {
    this.refers.push({ target, headers: Object.fromEntries((options.headers ?? []).map((h) => [h.name, h.value])) });
    const script = this.referScript.shift() ?? 'success';
    const events: ReferEvent[] =
      script === 'rejected' || script === 'unsupported'
        ? [script === 'rejected' ? { type: 'rejected', status: 603, reason: 'Decline' } : { type: 'rejected', status: 405, reason: 'Method Not Allowed' }, { type: 'ended', reason: 'rejected' }]
        : [
            { type: 'accepted', status: 202 },
            { type: 'progress', status: 100, reason: 'Trying', final: false },
            script === 'success' ? { type: 'progress', status: 200, reason: 'OK', final: true } : { type: 'progress', status: 486, reason: 'Busy Here', final: true },
            { type: 'ended', reason: 'final' },
          ];
    return (async function* () {
      for (const e of events) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield e;
      }
    })() as unknown as ReturnType<CallLeg['refer']>;
  }
}

/** 60 ms of a tone per prompt, at once; `rendered` lists the texts it was asked for (once each: the cache keeps them). */
export function instantTts(options: { failOn?: RegExp } = {}): TtsProvider & { rendered: string[] } {
  const rendered: string[] = [];
  return {
    id: 'instant',
    rendered,
    capabilities: { streaming: true, ssml: false, languages: ['en-US'], voices: [{ id: 'v', language: 'en-US' }] },
    voiceFor: () => 'v',
    async *synthesize(request): AsyncGenerator<PcmChunk> {
      await Promise.resolve();
      rendered.push(request.text);
      if (options.failOn?.test(request.text)) throw new Error('synthesiser crashed');
      yield { samples: new Int16Array(960).fill(3000), sampleRateHz: 16000 };
    },
  };
}

/** A recogniser that "hears" the next scripted result (or fails with it). */
export function scriptedStt(results: Array<SttResult | Error>): SttProvider & { requests: number } {
  const provider = {
    id: 'scripted',
    requests: 0,
    capabilities: { streaming: true, interimResults: false, grammars: true, languages: ['en-US'], sampleRatesHz: [16000] },
    start() {
      provider.requests++;
      const next = results.shift() ?? { text: '', confidence: 0 };
      return {
        write: () => undefined,
        finish: () => (next instanceof Error ? Promise.reject(next) : Promise.resolve(next)),
        abort: () => undefined,
      };
    },
  };
  return provider;
}
