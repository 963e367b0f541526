import type { RemoteInfo, Socket } from 'node:dgram';
import { systemClock, type Clock } from './clock.ts';
import type { CodecName } from './codecs/codec.ts';
import { AudioOutQueue, type PlayoutEvent } from './barge-in/audio-out-queue.ts';
import { BargeInDetector, type BargeInOptions } from './barge-in/barge-in-detector.ts';
import { parseDtmfInfo } from './dtmf/dtmf-info.ts';
import { generateDtmfTone } from './dtmf/dtmf-tone.ts';
import { InbandDtmfDetector } from './dtmf/inband-detector.ts';
import { FrameQueue } from './frame-queue.ts';
import type { DtmfDigit, Frame } from './frames.ts';
import { Pipeline, type FrameProcessor } from './processor.ts';
import type { RtpPortAllocator, RtpPortPair } from './rtp/port-allocator.ts';
import { RtcpReporter, type RemoteReport } from './rtp/rtcp-reporter.ts';
import { RtpReceiver, type RtpReceiverStats } from './rtp/rtp-receiver.ts';
import { RtpSender } from './rtp/rtp-sender.ts';
import type { TickTiming } from './rtp/steady-ticker.ts';
import { answerOffer, type AnswerResult } from './sdp/answer.ts';
import { acceptAnswer, buildOffer, type AcceptAnswerResult } from './sdp/offer.ts';
import {
  SdpOrigin,
  type MediaDirection,
  type NegotiatedMedia,
  type NegotiationFailure,
} from './sdp/negotiated-media.ts';

/**
 * The media of one call: an RTP/RTCP port pair, the codec and events negotiated by SDP, a receiver
 * that turns the caller's packets into audio and DTMF frames, and a paced sender that plays the audio
 * pushed in. Barge-in and in-band DTMF detection sit on the inbound frames.
 *
 * Inbound frames (`frames()` or `onFrame`): audio at the codec's rate (8000 or 16000 Hz, 20 ms each),
 * dtmf (rfc4733, inband, or info via `receiveInfoDtmf`), interrupt (barge-in), and one end frame.
 * Outbound (`push`): audio at any rate (queued and resampled), interrupt (flush), dtmf (sent as RFC 4733
 * events, or as tones when the peer has no telephone-event), end (close). Speak and transcript frames are
 * not media and are ignored here.
 */

export interface MediaSessionOptions {
  /** Address to bind (and advertise unless `advertisedAddress` is set). */
  localAddress: string;
  /** Address to put in SDP when it differs from the bound one (e.g. behind static NAT). */
  advertisedAddress?: string;
  ports: RtpPortAllocator;
  codecs?: readonly CodecName[];
  ptimeMs?: number;
  clock?: Clock;
  jitterBufferMs?: number;
  /** 'auto' (default): detect tones only when the peer has no telephone-event. */
  inbandDtmf?: 'auto' | 'always' | 'never';
  /** Barge-in on the caller's speech and keys; false to disable. */
  bargeIn?: BargeInOptions | false;
  sendSilence?: boolean;
  /** Send to where the peer's RTP comes from rather than to its SDP address (NAT traversal). */
  symmetricRtp?: boolean;
  rtcpIntervalMs?: number;
  cname?: string;
  onSocketError?: (error: Error) => void;
}

export interface MediaStats {
  codec: CodecName;
  direction: MediaDirection;
  packetsSent: number;
  octetsSent: number;
  received: RtpReceiverStats;
  sendTiming: TickTiming;
  remoteReport?: RemoteReport;
}

export type OpenFromOfferResult = { ok: true; session: MediaSession; answerSdp: string } | NegotiationFailure;

/** For an incoming INVITE: bind ports, answer the offer, start media. On failure nothing stays bound. */
export async function openMediaSessionFromOffer(
  offerSdp: string,
  options: MediaSessionOptions,
): Promise<OpenFromOfferResult> {
  const pair = await options.ports.allocate(options.localAddress);
  const origin = new SdpOrigin();
  const answer = answerOffer(offerSdp, { ...sdpOptions(options, pair.port), origin });
  if (!answer.ok) {
    await pair.close();
    return answer;
  }
  const session = new MediaSession(pair, answer.media, origin, options);
  return { ok: true, session, answerSdp: answer.sdp };
}

/** For an outgoing call: bind ports and make an offer; call `session.applyAnswer` with the answer. */
export async function openMediaSessionWithOffer(
  options: MediaSessionOptions,
): Promise<{ session: PendingMediaSession; offerSdp: string }> {
  const pair = await options.ports.allocate(options.localAddress);
  const origin = new SdpOrigin();
  const offerOptions = { ...sdpOptions(options, pair.port), origin };
  const offerSdp = buildOffer(offerOptions);
  let settled = false;
  const pending: PendingMediaSession = {
    async applyAnswer(answerSdp) {
      if (settled) throw new Error('applyAnswer called twice');
      const accepted: AcceptAnswerResult = acceptAnswer(answerSdp, offerOptions);
      if (!accepted.ok) {
        settled = true;
        await pair.close();
        return accepted;
      }
      settled = true;
      return { ok: true, session: new MediaSession(pair, accepted.media, origin, options) };
    },
    async cancel() {
      settled = true;
      await pair.close();
    },
  };
  return { session: pending, offerSdp };
}

export interface PendingMediaSession {
  applyAnswer(answerSdp: string): Promise<{ ok: true; session: MediaSession } | NegotiationFailure>;
  /** The call was not answered: release the ports. */
  cancel(): Promise<void>;
}

function sdpOptions(options: MediaSessionOptions, port: number) {
  return {
    localAddress: options.advertisedAddress ?? options.localAddress,
    localPort: port,
    ...(options.codecs ? { codecs: options.codecs } : {}),
    ...(options.ptimeMs ? { ptimeMs: options.ptimeMs } : {}),
  };
}

export class MediaSession {
  readonly localPort: number;
  readonly #pair: RtpPortPair;
  readonly #options: MediaSessionOptions;
  readonly #clock: Clock;
  readonly #origin: SdpOrigin;
  readonly #queue: AudioOutQueue;
  readonly #receiver: RtpReceiver;
  readonly #sender: RtpSender;
  readonly #rtcp: RtcpReporter;
  readonly #inbound: Pipeline;
  /** Made by the first `frames()`: frames nobody reads would be held (10 s of audio) for nothing. */
  #frames: FrameQueue | undefined;
  #endReason: string | undefined;
  readonly #listeners = new Set<(frame: Frame) => void>();
  #media: NegotiatedMedia;
  #remote: { address: string; port: number; rtcpPort: number };
  #latched = false;
  #closed: Promise<void> | undefined;

  constructor(pair: RtpPortPair, media: NegotiatedMedia, origin: SdpOrigin, options: MediaSessionOptions) {
    this.#pair = pair;
    this.localPort = pair.port;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#origin = origin;
    this.#media = media;
    this.#remote = { address: media.remoteAddress, port: media.remotePort, rtcpPort: media.remoteRtcpPort };
    this.#queue = new AudioOutQueue(media.codec.sampleRateHz);

    const processors: FrameProcessor[] = [];
    const inband = options.inbandDtmf ?? 'auto';
    if (inband === 'always' || (inband === 'auto' && !media.telephoneEvent))
      processors.push(new InbandDtmfDetector());
    if (options.bargeIn !== false) processors.push(new BargeInDetector(this.#queue, options.bargeIn ?? {}));
    this.#inbound = new Pipeline(processors, (frame) => this.#emit(frame));

    this.#receiver = new RtpReceiver({
      clock: this.#clock,
      media,
      ...(options.jitterBufferMs !== undefined ? { jitterBufferMs: options.jitterBufferMs } : {}),
      onFrame: (frame) => this.#inbound.push(frame),
    });
    this.#sender = new RtpSender({
      clock: this.#clock,
      media,
      queue: this.#queue,
      send: (packet, sent) => this.#sendRtp(packet, sent),
      ...(options.onSocketError ? { onSendError: options.onSocketError } : {}),
      ...(options.sendSilence !== undefined ? { sendSilence: options.sendSilence } : {}),
    });
    this.#rtcp = new RtcpReporter({
      clock: this.#clock,
      writer: this.#sender.writer,
      receiver: this.#receiver,
      send: (packet) => this.#sendTo(pair.rtcp, packet, this.#remote.rtcpPort),
      cname:
        options.cname ??
        `parley-${this.#sender.writer.ssrc.toString(16)}@${options.advertisedAddress ?? options.localAddress}`,
      ...(options.rtcpIntervalMs !== undefined ? { intervalMs: options.rtcpIntervalMs } : {}),
    });

    pair.rtp.on('message', (message: Buffer, from: RemoteInfo) => this.#onRtp(message, from));
    pair.rtcp.on('message', (message: Buffer) => this.#rtcp.receive(message));
    const onError = (error: Error): void => options.onSocketError?.(error);
    pair.rtp.on('error', onError);
    pair.rtcp.on('error', onError);
    this.#sender.start();
    this.#rtcp.start();
  }

  /** What the last offer/answer settled. */
  get media(): NegotiatedMedia {
    return this.#media;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /**
   * Inbound frames as an async iterable (one reader), from the first call on; ends after the end frame.
   * Frames that came before it are not kept (use `onFrame` to see every frame).
   */
  frames(): AsyncIterable<Frame> {
    if (!this.#frames) {
      this.#frames = new FrameQueue();
      if (this.#endReason !== undefined) {
        this.#frames.push({ type: 'end', reason: this.#endReason });
        this.#frames.end();
      }
    }
    return this.#frames;
  }

  /** Inbound frames pushed to a listener as they come; returns the unsubscribe function. */
  onFrame(listener: (frame: Frame) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Prompt playout: started, finished (ran dry) or interrupted (barge-in or an interrupt frame). */
  onPlayout(listener: (event: PlayoutEvent) => void): () => void {
    return this.#queue.onPlayout(listener);
  }

  /** Is audio queued or playing? */
  get playing(): boolean {
    return this.#queue.playing;
  }

  push(frame: Frame): void {
    if (this.#closed) return;
    switch (frame.type) {
      case 'audio':
      case 'interrupt':
        this.#queue.process(frame, () => undefined);
        return;
      case 'dtmf':
        this.sendDtmf(frame.digit, frame.durationMs);
        return;
      case 'end':
        void this.close(frame.reason);
        return;
      case 'speak':
      case 'transcript':
        return;
    }
  }

  /** Send a key press: RFC 4733 events if the peer accepted them, else the tones in the audio. */
  sendDtmf(digit: DtmfDigit, durationMs = 100): void {
    if (this.#sender.sendDtmf(digit, durationMs)) return;
    const rate = this.#queue.sampleRateHz;
    this.#queue.enqueue(generateDtmfTone(digit, { durationMs, sampleRateHz: rate }), rate, false);
    this.#queue.enqueue(new Int16Array(Math.round(rate * 0.06)), rate, false);
  }

  /** A SIP INFO request's body: if it carries a key press, it joins the inbound frames. */
  receiveInfoDtmf(contentType: string, body: string): boolean {
    const frame = parseDtmfInfo(contentType, body);
    if (!frame || this.#closed) return false;
    this.#inbound.push(frame);
    return true;
  }

  /** A re-INVITE's offer (hold, resume, new address or codec): answer it and apply the result. */
  answer(offerSdp: string, direction: MediaDirection = 'sendrecv'): AnswerResult {
    const result = answerOffer(offerSdp, {
      ...sdpOptions(this.#options, this.localPort),
      origin: this.#origin,
      direction,
    });
    if (result.ok) this.#apply(result.media);
    return result;
  }

  /** An offer for a re-INVITE we send (e.g. 'sendonly' to hold the caller); apply the reply with `applyAnswer`. */
  createOffer(direction: MediaDirection = 'sendrecv'): string {
    return buildOffer({
      ...sdpOptions(this.#options, this.localPort),
      origin: this.#origin,
      direction,
      codecs: [this.#media.codec.name],
    });
  }

  applyAnswer(answerSdp: string, direction: MediaDirection = 'sendrecv'): AcceptAnswerResult {
    const result = acceptAnswer(answerSdp, {
      ...sdpOptions(this.#options, this.localPort),
      direction,
      codecs: [this.#media.codec.name],
    });
    if (result.ok) this.#apply(result.media);
    return result;
  }

  stats(): MediaStats {
    const remoteReport = this.#rtcp.remoteReport;
    return {
      codec: this.#media.codec.name,
      direction: this.#media.direction,
      packetsSent: this.#sender.writer.packetsSent,
      octetsSent: this.#sender.writer.octetsSent,
      received: this.#receiver.stats(),
      sendTiming: this.#sender.timing(),
      ...(remoteReport ? { remoteReport } : {}),
    };
  }

  /** Stop media, send RTCP BYE, emit the end frame, release the ports. Safe to call twice. */
  close(reason = 'closed'): Promise<void> {
    this.#closed ??= (async () => {
      this.#endReason = reason;
      this.#sender.stop();
      this.#rtcp.stop();
      this.#sendTo(this.#pair.rtcp, this.#rtcp.bye(reason), this.#remote.rtcpPort);
      this.#receiver.close();
      this.#queue.interrupt('request');
      this.#inbound.push({ type: 'end', reason });
      this.#inbound.close();
      this.#frames?.end();
      await this.#pair.close();
    })();
    return this.#closed;
  }

  #apply(media: NegotiatedMedia): void {
    this.#media = media;
    if (!this.#latched)
      this.#remote = { address: media.remoteAddress, port: media.remotePort, rtcpPort: media.remoteRtcpPort };
    this.#receiver.updateMedia(media);
    this.#sender.updateMedia(media);
  }

  #onRtp(message: Buffer, from: RemoteInfo): void {
    if (this.#closed) return;
    if (
      this.#options.symmetricRtp &&
      !this.#latched &&
      (from.address !== this.#remote.address || from.port !== this.#remote.port)
    ) {
      this.#latched = true;
      this.#remote = { address: from.address, port: from.port, rtcpPort: from.port + 1 };
    }
    this.#receiver.receive(message); // a Buffer is a Uint8Array: no view to make
  }

  /** An RTP packet from the sender: `sent` frees its buffer (see PacketRing), so it is called whatever happens. */
  #sendRtp(packet: Uint8Array, sent: (error: Error | null) => void): void {
    const remote = this.#remote;
    if (remote.port === 0 || remote.address === '0.0.0.0' || remote.address === '::') return sent(null);
    this.#pair.rtp.send(packet, remote.port, remote.address, sent);
  }

  #sendTo(socket: Socket, packet: Uint8Array, port: number): void {
    if (port === 0 || this.#remote.address === '0.0.0.0' || this.#remote.address === '::') return;
    socket.send(packet, port, this.#remote.address, (error) => {
      if (error) this.#options.onSocketError?.(error);
    });
  }

  #emit(frame: Frame): void {
    this.#frames?.push(frame);
    for (const listener of this.#listeners) listener(frame);
  }
}
