import type { Clock } from '../clock.ts';
import type { AudioDecoder } from '../codecs/codec.ts';
import { Rfc4733Receiver } from '../dtmf/rfc4733-receiver.ts';
import type { Frame } from '../frames.ts';
import type { NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { JitterBuffer } from './jitter-buffer.ts';
import type { ReportBlock } from './rtcp-packet.ts';
import { BAD_SEQUENCE, ReceiveStatistics } from './receive-statistics.ts';
import { looksLikeRtcp, parseRtpPacket, type RtpPacket } from './rtp-packet.ts';

export interface RtpReceiverStats {
  packetsReceived: number;
  packetsLost: number;
  jitterMs: number;
  late: number;
  duplicates: number;
  /** Datagrams that were not RTP, or carried a payload type not negotiated. */
  ignored: number;
}

export interface RtpReceiverOptions {
  clock: Clock;
  media: NegotiatedMedia;
  /** How long a gap in sequence numbers is waited for (default 60 ms). */
  jitterBufferMs?: number;
  onFrame: (frame: Frame) => void;
}

/**
 * The receiving half of a call's RTP: validates datagrams, follows one source (a new SSRC starts
 * over), keeps RFC 3550 statistics, reorders through the jitter buffer, then decodes audio into audio
 * frames (timestamps from the RTP clock) and telephone-events into DTMF frames.
 */
export class RtpReceiver {
  readonly #clock: Clock;
  readonly #jitterBufferMs: number;
  readonly #onFrame: (frame: Frame) => void;
  #media: NegotiatedMedia;
  #decoder: AudioDecoder;
  #dtmf: { payloadType: number; receiver: Rfc4733Receiver } | undefined;
  #ssrc: number | undefined;
  #stats: ReceiveStatistics;
  #jitter: JitterBuffer<RtpPacket>;
  #firstTimestamp: number | undefined;
  #cancelTimer: (() => void) | undefined;
  #timerDueMs = Infinity;
  #ignored = 0;
  #lateBefore = 0;
  #duplicatesBefore = 0;
  #closed = false;

  constructor(options: RtpReceiverOptions) {
    this.#clock = options.clock;
    this.#jitterBufferMs = options.jitterBufferMs ?? 60;
    this.#onFrame = options.onFrame;
    this.#media = options.media;
    this.#decoder = options.media.codec.createDecoder();
    this.#dtmf = this.#createDtmfReceiver(options.media);
    this.#stats = new ReceiveStatistics(options.media.codec.rtpClockRateHz);
    this.#jitter = new JitterBuffer({ maxWaitMs: this.#jitterBufferMs });
  }

  /** A new offer/answer changed the codec or the event payload type. */
  updateMedia(media: NegotiatedMedia): void {
    const codecChanged = media.codec !== this.#media.codec || media.payloadType !== this.#media.payloadType;
    this.#media = media;
    if (codecChanged) {
      this.#decoder = media.codec.createDecoder();
      this.#restartSource(this.#ssrc);
    }
    if (media.telephoneEvent?.payloadType !== this.#dtmf?.payloadType)
      this.#dtmf = this.#createDtmfReceiver(media);
  }

  get remoteSsrc(): number | undefined {
    return this.#ssrc;
  }

  receive(datagram: Uint8Array): void {
    if (this.#closed) return;
    const packet = looksLikeRtcp(datagram) ? undefined : parseRtpPacket(datagram);
    if (
      !packet ||
      (packet.payloadType !== this.#media.payloadType &&
        packet.payloadType !== this.#media.telephoneEvent?.payloadType)
    ) {
      this.#ignored++;
      return;
    }
    const now = this.#clock.now();
    if (this.#ssrc !== packet.ssrc) this.#restartSource(packet.ssrc);
    const isAudio = packet.payloadType === this.#media.payloadType;
    const extended = this.#stats.accept(packet.sequenceNumber, now, isAudio ? packet.timestamp : undefined);
    if (extended === BAD_SEQUENCE) return;
    if (this.#stats.restarted) this.#jitter.reset();
    const ready = this.#jitter.push(extended, packet, now);
    for (let i = 0; i < ready.length; i++) this.#deliver(ready[i] as RtpPacket, now);
    this.#schedule();
  }

  stats(): RtpReceiverStats {
    const jitter = this.#jitter.stats;
    return {
      packetsReceived: this.#stats.received,
      packetsLost: this.#stats.lost,
      jitterMs: this.#stats.jitterMs,
      late: this.#lateBefore + jitter.late,
      duplicates: this.#duplicatesBefore + jitter.duplicates,
      ignored: this.#ignored,
    };
  }

  /** A report block about the source we receive, for RTCP (undefined before any packet). */
  reportBlock(lastSenderReport: number, delaySinceLastSenderReport: number): ReportBlock | undefined {
    return this.#ssrc === undefined
      ? undefined
      : this.#stats.reportBlock(this.#ssrc, lastSenderReport, delaySinceLastSenderReport);
  }

  /** Deliver what is still held and stop. */
  close(): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    for (const packet of this.#jitter.flush()) this.#deliver(packet, now);
    for (const frame of this.#dtmf?.receiver.poll(Infinity) ?? []) this.#onFrame(frame);
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #createDtmfReceiver(
    media: NegotiatedMedia,
  ): { payloadType: number; receiver: Rfc4733Receiver } | undefined {
    const event = media.telephoneEvent;
    return event
      ? { payloadType: event.payloadType, receiver: new Rfc4733Receiver(event.clockRateHz) }
      : undefined;
  }

  #restartSource(ssrc: number | undefined): void {
    this.#ssrc = ssrc;
    const jitter = this.#jitter?.stats;
    if (jitter) {
      this.#lateBefore += jitter.late;
      this.#duplicatesBefore += jitter.duplicates;
    }
    this.#stats = new ReceiveStatistics(this.#media.codec.rtpClockRateHz);
    this.#jitter = new JitterBuffer({ maxWaitMs: this.#jitterBufferMs });
    this.#firstTimestamp = undefined;
  }

  #deliver(packet: RtpPacket, now: number): void {
    if (packet.payloadType === this.#media.payloadType) {
      this.#firstTimestamp ??= packet.timestamp;
      const elapsed = (packet.timestamp - this.#firstTimestamp) >>> 0;
      const timestampMs = (elapsed * 1000) / this.#media.codec.rtpClockRateHz;
      this.#onFrame({
        type: 'audio',
        samples: this.#decoder.decode(packet.payload),
        sampleRateHz: this.#media.codec.sampleRateHz,
        timestampMs,
      });
    } else if (this.#dtmf && packet.payloadType === this.#dtmf.payloadType) {
      for (const frame of this.#dtmf.receiver.receive(packet.payload, packet.timestamp, now))
        this.#onFrame(frame);
    }
  }

  /** Keep one timer, for the earliest of the jitter buffer's and the DTMF receiver's deadlines. */
  #schedule(): void {
    const due = Math.min(
      this.#jitter.nextDeadlineMs() ?? Infinity,
      this.#dtmf?.receiver.nextDeadlineMs() ?? Infinity,
    );
    if (due === this.#timerDueMs) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerDueMs = due;
    if (due === Infinity || this.#closed) return;
    this.#cancelTimer = this.#clock.setTimer(due - this.#clock.now(), () => {
      this.#cancelTimer = undefined;
      this.#timerDueMs = Infinity;
      const now = this.#clock.now();
      for (const packet of this.#jitter.poll(now)) this.#deliver(packet, now);
      for (const frame of this.#dtmf?.receiver.poll(now) ?? []) this.#onFrame(frame);
      this.#schedule();
    });
  }
}
