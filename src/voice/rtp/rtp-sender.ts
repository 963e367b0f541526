import type { Clock } from '../clock.ts';
import { timestampStep, type AudioEncoder } from '../codecs/codec.ts';
import { createResampler, type Resampler } from '../codecs/resampler.ts';
import type { AudioOutQueue } from '../barge-in/audio-out-queue.ts';
import { Rfc4733EventPlan } from '../dtmf/rfc4733-sender.ts';
import type { DtmfDigit } from '../frames.ts';
import { directionFlags, type NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { RtpStreamWriter } from './rtp-stream-writer.ts';
import { SteadyTicker, type TickTiming } from './steady-ticker.ts';

export interface RtpSenderOptions {
  clock: Clock;
  media: NegotiatedMedia;
  /** Where the audio to send comes from. */
  queue: AudioOutQueue;
  /** Put one packet on the wire. */
  send: (packet: Uint8Array) => void;
  /** Keep sending (encoded) silence when nothing plays, as most peers and NATs expect. Default true. */
  sendSilence?: boolean;
  writer?: RtpStreamWriter;
}

/**
 * The sending half of a call's RTP: on each tick of a steady packet clock it sends the next
 * packet-time of queued audio (or silence), or the next packet of a DTMF event in progress.
 * RTP timestamps follow the packet clock, so they stay true to real time even when a stall makes
 * the clock skip ticks.
 */
export class RtpSender {
  readonly writer: RtpStreamWriter;
  readonly #clock: Clock;
  readonly #queue: AudioOutQueue;
  readonly #send: (packet: Uint8Array) => void;
  readonly #sendSilence: boolean;
  #media!: NegotiatedMedia;
  #encoder!: AudioEncoder;
  #resampler: Resampler | undefined;
  #ticker: SteadyTicker;
  /** Media time (RTP units) at tick `#tickBase`; moves when the packet clock is replaced. */
  #mediaTimeBase = 0;
  #lastMediaTime = 0;
  #sentAudioLastTick = false;
  readonly #pendingDigits: Array<{ digit: DtmfDigit; durationMs: number }> = [];
  #event: { plan: Rfc4733EventPlan; mediaTime: number } | undefined;
  #timings: TickTiming[] = [];

  constructor(options: RtpSenderOptions) {
    this.#clock = options.clock;
    this.#queue = options.queue;
    this.#send = options.send;
    this.#sendSilence = options.sendSilence ?? true;
    this.writer = options.writer ?? new RtpStreamWriter();
    this.#applyMedia(options.media);
    this.#ticker = this.#newTicker();
  }

  start(): void {
    this.#ticker.start();
  }

  stop(): void {
    this.#ticker.stop();
  }

  /** A new offer/answer: codec, packet time or payload types may have changed. */
  updateMedia(media: NegotiatedMedia): void {
    const clockChanged =
      media.codec.rtpClockRateHz !== this.#media.codec.rtpClockRateHz ||
      media.ptimeMs !== this.#media.ptimeMs;
    this.#applyMedia(media);
    if (!clockChanged) return;
    const running = this.#ticker.running;
    this.#ticker.stop();
    this.#timings.push(this.#ticker.timing());
    this.#mediaTimeBase = this.#lastMediaTime + timestampStep(media.codec, media.ptimeMs);
    this.#ticker = this.#newTicker();
    if (running) this.#ticker.start();
  }

  /** Queue a key press as RFC 4733 events; false when the peer did not accept telephone-event. */
  sendDtmf(digit: DtmfDigit, durationMs: number): boolean {
    if (!this.#media.telephoneEvent) return false;
    this.#pendingDigits.push({ digit, durationMs });
    return true;
  }

  /** Send-time deviation of the packet clock (across clock changes). */
  timing(): TickTiming {
    const all = [...this.#timings, this.#ticker.timing()];
    const ticks = all.reduce((n, t) => n + t.ticks, 0);
    return {
      ticks,
      skipped: all.reduce((n, t) => n + t.skipped, 0),
      meanDeviationMs: ticks ? all.reduce((n, t) => n + t.meanDeviationMs * t.ticks, 0) / ticks : 0,
      p99DeviationMs: Math.max(...all.map((t) => t.p99DeviationMs)),
      maxDeviationMs: Math.max(...all.map((t) => t.maxDeviationMs)),
    };
  }

  #applyMedia(media: NegotiatedMedia): void {
    if (!this.#media || media.codec !== this.#media.codec) this.#encoder = media.codec.createEncoder();
    this.#resampler =
      this.#queue.sampleRateHz === media.codec.sampleRateHz
        ? undefined
        : createResampler(this.#queue.sampleRateHz, media.codec.sampleRateHz);
    this.#media = media;
  }

  #newTicker(): SteadyTicker {
    return new SteadyTicker({
      clock: this.#clock,
      intervalMs: this.#media.ptimeMs,
      onTick: (tick) => this.#onTick(tick),
    });
  }

  #onTick(tick: number): void {
    const media = this.#media;
    const mediaTime = this.#mediaTimeBase + tick * timestampStep(media.codec, media.ptimeMs);
    this.#lastMediaTime = mediaTime;
    if (!directionFlags(media.direction).send) {
      this.#sentAudioLastTick = false;
      return;
    }
    if (!this.#event) {
      const next = this.#pendingDigits.shift();
      if (next && media.telephoneEvent) {
        const step = timestampStep(media.codec, media.ptimeMs);
        this.#event = {
          plan: new Rfc4733EventPlan(next.digit, next.durationMs, media.telephoneEvent.clockRateHz, step),
          mediaTime,
        };
      }
    }
    if (this.#event && media.telephoneEvent) {
      const packet = this.#event.plan.next();
      if (packet) {
        this.#send(
          this.writer.next(
            media.telephoneEvent.payloadType,
            this.#event.mediaTime,
            packet.payload,
            packet.marker,
          ),
        );
        if (this.#event.plan.done) this.#event = undefined;
        return;
      }
      this.#event = undefined;
    }
    const count = (this.#queue.sampleRateHz * media.ptimeMs) / 1000;
    let samples = this.#queue.read(count);
    if (!samples) {
      if (!this.#sendSilence) {
        this.#sentAudioLastTick = false;
        return;
      }
      samples = new Int16Array(count);
    }
    if (this.#resampler) samples = this.#resampler.process(samples);
    const marker = !this.#sentAudioLastTick;
    this.#sentAudioLastTick = true;
    this.#send(this.writer.next(media.payloadType, mediaTime, this.#encoder.encode(samples), marker));
  }
}
