import type { Clock } from '../clock.ts';
import {
  buildRtcpCompound,
  ntpFromUnixMs,
  ntpMiddle32,
  parseRtcpCompound,
  type ReportBlock,
  type RtcpPacket,
} from './rtcp-packet.ts';
import type { RtpReceiver } from './rtp-receiver.ts';
import type { RtpStreamWriter } from './rtp-stream-writer.ts';

/** What the far end last told us about our stream. */
export interface RemoteReport {
  fractionLost: number;
  cumulativeLost: number;
  jitter: number;
  /** Round-trip time from LSR/DLSR, when the far end echoed one of our SRs. */
  roundTripMs?: number;
}

/**
 * RTCP for one call: a compound report (SR while we send, RR otherwise, with SDES CNAME) every
 * `intervalMs` randomised by ±50% as RFC 3550 §6.3.1 asks, a BYE at the end, and what the far end's
 * reports say about our stream.
 */
export class RtcpReporter {
  readonly #clock: Clock;
  readonly #writer: RtpStreamWriter;
  readonly #receiver: RtpReceiver;
  readonly #send: (packet: Uint8Array) => void;
  readonly #cname: string;
  readonly #intervalMs: number;
  #cancel: (() => void) | undefined;
  #packetsAtLastReport = 0;
  /** Middle 32 bits of the last SR received and when it came (monotonic ms). */
  #lastSr: { middle: number; atMs: number } | undefined;
  /** Our SRs by their middle 32 bits, with when we sent them (monotonic ms), for round-trip times. */
  readonly #sentSrs = new Map<number, number>();
  #remote: RemoteReport | undefined;

  constructor(options: {
    clock: Clock;
    writer: RtpStreamWriter;
    receiver: RtpReceiver;
    send: (p: Uint8Array) => void;
    cname: string;
    intervalMs?: number;
  }) {
    this.#clock = options.clock;
    this.#writer = options.writer;
    this.#receiver = options.receiver;
    this.#send = options.send;
    this.#cname = options.cname;
    this.#intervalMs = options.intervalMs ?? 5000;
  }

  start(): void {
    this.#scheduleNext();
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  get remoteReport(): RemoteReport | undefined {
    return this.#remote;
  }

  /** Build the current report (and note it as sent). */
  report(extra: RtcpPacket[] = []): Uint8Array {
    const now = this.#clock.now();
    const block = this.#lastSr
      ? this.#receiver.reportBlock(
          this.#lastSr.middle,
          Math.round(((now - this.#lastSr.atMs) / 1000) * 65536),
        )
      : this.#receiver.reportBlock(0, 0);
    const reports: ReportBlock[] = block ? [block] : [];
    const ssrc = this.#writer.ssrc;
    let first: RtcpPacket;
    if (this.#writer.packetsSent > this.#packetsAtLastReport) {
      const ntp = ntpFromUnixMs(Date.now());
      this.#sentSrs.set(ntpMiddle32(ntp.ntpSeconds, ntp.ntpFraction), now);
      if (this.#sentSrs.size > 8) this.#sentSrs.delete(this.#sentSrs.keys().next().value as number);
      first = {
        type: 'sr',
        ssrc,
        sender: {
          ...ntp,
          rtpTimestamp: this.#writer.lastTimestamp,
          packetCount: this.#writer.packetsSent >>> 0,
          octetCount: this.#writer.octetsSent >>> 0,
        },
        reports,
      };
    } else {
      first = { type: 'rr', ssrc, reports };
    }
    this.#packetsAtLastReport = this.#writer.packetsSent;
    return buildRtcpCompound([first, { type: 'sdes', chunks: [{ ssrc, cname: this.#cname }] }, ...extra]);
  }

  /** The compound packet that ends our participation. */
  bye(reason: string): Uint8Array {
    return this.report([{ type: 'bye', ssrcs: [this.#writer.ssrc], reason }]);
  }

  receive(datagram: Uint8Array): void {
    const packets = parseRtcpCompound(datagram);
    if (!packets) return;
    const now = this.#clock.now();
    for (const packet of packets) {
      if (packet.type === 'sr')
        this.#lastSr = {
          middle: ntpMiddle32(packet.sender.ntpSeconds, packet.sender.ntpFraction),
          atMs: now,
        };
      if (packet.type !== 'sr' && packet.type !== 'rr') continue;
      const aboutUs = packet.reports.find((r) => r.ssrc === this.#writer.ssrc);
      if (!aboutUs) continue;
      const sentAt = this.#sentSrs.get(aboutUs.lastSenderReport);
      const roundTripMs =
        sentAt !== undefined && aboutUs.lastSenderReport !== 0
          ? now - sentAt - (aboutUs.delaySinceLastSenderReport / 65536) * 1000
          : undefined;
      this.#remote = {
        fractionLost: aboutUs.fractionLost / 256,
        cumulativeLost: aboutUs.cumulativeLost,
        jitter: aboutUs.jitter,
        ...(roundTripMs !== undefined ? { roundTripMs: Math.max(0, roundTripMs) } : {}),
      };
    }
  }

  #scheduleNext(): void {
    const delay = this.#intervalMs * (0.5 + Math.random());
    this.#cancel = this.#clock.setTimer(delay, () => {
      this.#send(this.report());
      this.#scheduleNext();
    });
  }
}
