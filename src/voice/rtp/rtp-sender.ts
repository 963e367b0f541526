import type { Clock } from '../clock.ts';
import { samplesPerPacket, timestampStep, type AudioEncoder } from '../codecs/codec.ts';
import { createResampler, type Resampler } from '../codecs/resampler.ts';
import type { AudioOutQueue } from '../barge-in/audio-out-queue.ts';
import { Rfc4733EventPlan } from '../dtmf/rfc4733-sender.ts';
import type { DtmfDigit } from '../frames.ts';
import { directionFlags, type NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { PacketRing, type SendCallback } from './packet-ring.ts';
import { RTP_HEADER_LENGTH } from './rtp-packet.ts';
import { RtpStreamWriter } from './rtp-stream-writer.ts';
import { SteadyTicker, type TickTiming } from './steady-ticker.ts';

export interface RtpSenderOptions {
  clock: Clock;
  media: NegotiatedMedia;
  /** Where the audio to send comes from. */
  queue: AudioOutQueue;
  /**
   * Put one packet on the wire. The packet's buffer is used again for a later packet once `sent` has been
   * called: pass `sent` as `dgram.send`'s callback, or call it at once when the packet is dropped. A send
   * that keeps the packet never calls it (the sender then takes fresh buffers).
   */
  send: (packet: Uint8Array, sent: SendCallback) => void;
  /** Errors the socket reported through `sent`. */
  onSendError?: (error: Error) => void;
  /** Keep sending (encoded) silence when nothing plays, as most peers and NATs expect. Default true. */
  sendSilence?: boolean;
  writer?: RtpStreamWriter;
}

/**
 * The sending half of a call's RTP: on each tick of a steady packet clock it sends the next
 * packet-time of queued audio (or silence), or the next packet of a DTMF event in progress.
 * RTP timestamps follow the packet clock, so they stay true to real time even when a stall makes
 * the clock skip ticks.
 *
 * A tick allocates nothing of its own (a call sends 50 packets a second; what each leaves behind is what
 * the young-generation collector pauses every call's clock to clear): the audio is read into a buffer kept
 * for the purpose, resampled into another, and encoded straight into a packet buffer of a `PacketRing`.
 * (Node's `dgram.send` still makes its request objects, a few hundred bytes a packet.)
 */
export class RtpSender {
  readonly writer: RtpStreamWriter;
  readonly #clock: Clock;
  readonly #queue: AudioOutQueue;
  readonly #send: (packet: Uint8Array, sent: SendCallback) => void;
  readonly #onSendError: ((error: Error) => void) | undefined;
  readonly #sendSilence: boolean;
  #media!: NegotiatedMedia;
  #encoder!: AudioEncoder;
  #resampler: Resampler | undefined;
  #sends = true;
  /** One packet-time of audio at the queue's rate; all zeros while `#silent` (the silence sent when nothing plays). */
  #pcm = new Int16Array(0);
  #silent = true;
  /** The same, at the codec's rate, when they differ. */
  #resampled = new Int16Array(0);
  #packets!: PacketRing;
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
    this.#onSendError = options.onSendError;
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
    this.#sends = directionFlags(media.direction).send;
    const count = (this.#queue.sampleRateHz * media.ptimeMs) / 1000;
    if (this.#pcm.length !== count) {
      this.#pcm = new Int16Array(count);
      this.#silent = true;
    }
    const codecSamples = samplesPerPacket(media.codec, media.ptimeMs);
    // Room for the largest payload: two octets a sample (L16), one more for a G.722 sample left over.
    const packetBytes = RTP_HEADER_LENGTH + 2 * (codecSamples + 1);
    if (!this.#packets || this.#packets.slotBytes < packetBytes)
      this.#packets = new PacketRing({ slotBytes: packetBytes, ...(this.#onSendError ? { onSendError: this.#onSendError } : {}) });
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
    if (!this.#sends) {
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
        const slot = this.#packets.take(); // an event payload (4 octets) fits any slot
        slot.bytes.set(packet.payload, RTP_HEADER_LENGTH);
        const length = this.writer.writeHeader(
          slot.bytes,
          media.telephoneEvent.payloadType,
          this.#event.mediaTime,
          packet.payload.length,
          packet.marker,
        );
        this.#send(slot.packet(length), slot.done);
        if (this.#event.plan.done) this.#event = undefined;
        return;
      }
      this.#event = undefined;
    }
    const pcm = this.#pcm;
    if (this.#queue.readInto(pcm)) {
      this.#silent = false;
    } else {
      if (!this.#sendSilence) {
        this.#sentAudioLastTick = false;
        return;
      }
      if (!this.#silent) {
        pcm.fill(0);
        this.#silent = true;
      }
    }
    let samples = pcm;
    if (this.#resampler) {
      // Sized to what this packet gives: a new array only when that changes (never, for whole packets at 2:1).
      const count = this.#resampler.outputLength(pcm.length);
      if (this.#resampled.length !== count) this.#resampled = new Int16Array(count);
      this.#resampler.processInto(pcm, this.#resampled);
      samples = this.#resampled;
    }
    const marker = !this.#sentAudioLastTick;
    this.#sentAudioLastTick = true;
    const slot = this.#packets.take();
    const payloadLength = this.#encoder.encodeInto(samples, slot.bytes, RTP_HEADER_LENGTH);
    const length = this.writer.writeHeader(slot.bytes, media.payloadType, mediaTime, payloadLength, marker);
    this.#send(slot.packet(length), slot.done);
  }
}
