import { describe, expect, it } from 'vitest';
import { AudioOutQueue } from '../barge-in/audio-out-queue.ts';
import { CODECS } from '../codecs/codec.ts';
import { encodeUlaw } from '../codecs/g711.ts';
import { encodeTelephoneEvent } from '../dtmf/telephone-event.ts';
import { FakeClock } from '../fake-clock.ts';
import type { Frame } from '../frames.ts';
import type { NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { dominantFrequencyHz, sine } from '../signal.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from './rtp-packet.ts';
import { RtpReceiver } from './rtp-receiver.ts';
import { RtpSender } from './rtp-sender.ts';
import { RtpStreamWriter } from './rtp-stream-writer.ts';

const pcmu: NegotiatedMedia = {
  codec: CODECS.PCMU,
  payloadType: 0,
  telephoneEvent: { payloadType: 101, clockRateHz: 8000 },
  ptimeMs: 20,
  remoteAddress: '192.0.2.1',
  remotePort: 4000,
  remoteRtcpPort: 4001,
  direction: 'sendrecv',
};

function sender(media: NegotiatedMedia, sendSilence = true) {
  const clock = new FakeClock();
  const queue = new AudioOutQueue(media.codec.sampleRateHz);
  const packets: RtpPacket[] = [];
  const rtp = new RtpSender({
    clock,
    media,
    queue,
    sendSilence,
    send: (bytes) => packets.push(parseRtpPacket(bytes) as RtpPacket),
    writer: new RtpStreamWriter({ ssrc: 0x1234, initialSequence: 65534, timestampBase: 1000 }),
  });
  return { clock, queue, packets, rtp };
}

describe('RTP sender', () => {
  it('sends a packet every 20 ms: queued audio, then encoded silence, sequence wrapping', () => {
    const { clock, queue, packets, rtp } = sender(pcmu);
    queue.enqueue(
      Int16Array.from({ length: 400 }, () => 1000),
      8000,
    ); // 50 ms
    rtp.start();
    clock.advance(100);
    rtp.stop();
    expect(packets.map((p) => p.sequenceNumber)).toEqual([65534, 65535, 0, 1, 2, 3]);
    expect(packets.map((p) => p.timestamp - 1000)).toEqual([0, 160, 320, 480, 640, 800]);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false]);
    expect(packets.every((p) => p.payloadType === 0 && p.payload.length === 160 && p.ssrc === 0x1234)).toBe(
      true,
    );
    expect(packets[0]?.payload[0]).toBe(encodeUlaw(Int16Array.of(1000))[0]);
    expect(packets[2]?.payload[79]).toBe(encodeUlaw(Int16Array.of(1000))[0]);
    expect(packets[2]?.payload[80]).toBe(0xff); // padding silence
    expect(packets[4]?.payload.every((b) => b === 0xff)).toBe(true);
  });

  it('sends a key press as RFC 4733 events on one timestamp, then resumes audio on the clock', () => {
    const { clock, packets, rtp } = sender(pcmu);
    rtp.start();
    clock.advance(20); // ticks 0 and 1: silence
    rtp.sendDtmf('1', 60);
    clock.advance(200);
    const events = packets.filter((p) => p.payloadType === 101);
    expect(events.map((p) => [p.marker, p.payload[1]! >> 7, (p.payload[2]! << 8) | p.payload[3]!])).toEqual([
      [true, 0, 160],
      [false, 0, 320],
      [false, 1, 480],
      [false, 1, 480],
      [false, 1, 480],
    ]);
    expect(new Set(events.map((p) => p.timestamp))).toEqual(new Set([1000 + 2 * 160]));
    const after = packets[packets.indexOf(events[4]!) + 1];
    expect(after?.payloadType).toBe(0);
    expect((after?.timestamp ?? 0) - 1000).toBe(7 * 160); // audio timestamps kept following real time
    expect(rtp.sendDtmf('2', 60)).toBe(true);
    const { telephoneEvent: _none, ...withoutEvents } = pcmu;
    expect(sender(withoutEvents).rtp.sendDtmf('2', 60)).toBe(false);
  });

  it('stays quiet when it may not send, and marks the first packet after a silence it did not fill', () => {
    const held = sender({ ...pcmu, direction: 'recvonly' });
    held.rtp.start();
    held.clock.advance(100);
    expect(held.packets).toEqual([]);

    const { clock, queue, packets, rtp } = sender(pcmu, false);
    rtp.start();
    clock.advance(60);
    expect(packets).toEqual([]);
    queue.enqueue(new Int16Array(160), 8000);
    clock.advance(20);
    expect(packets.map((p) => [p.marker, p.timestamp - 1000])).toEqual([[true, 4 * 160]]);
  });

  it('builds packets in a few buffers used again once the socket is done with them', () => {
    const clock = new FakeClock();
    const buffers = new Set<ArrayBufferLike>();
    const pending: Array<() => void> = [];
    const packets: RtpPacket[] = [];
    const rtp = new RtpSender({
      clock,
      media: pcmu,
      queue: new AudioOutQueue(8000),
      send: (bytes, sent) => {
        packets.push(parseRtpPacket(bytes.slice()) as RtpPacket);
        buffers.add(bytes.buffer);
        pending.push(() => sent(null));
      },
    });
    rtp.start();
    for (let i = 0; i < 50; i++) {
      clock.advance(20);
      // The socket calls back one packet late, as if every send went through libuv's queue.
      while (pending.length > 1) pending.shift()?.();
    }
    rtp.stop();
    expect(packets).toHaveLength(51);
    expect(buffers.size).toBeLessThanOrEqual(4);
    expect(packets.every((p, i) => i === 0 || p.sequenceNumber === ((packets[i - 1]!.sequenceNumber + 1) & 0xffff))).toBe(true);
    expect(packets.every((p) => p.payload.length === 160 && p.payload.every((b) => b === 0xff))).toBe(true);
  });

  it('keeps the G.722 clock-rate quirk: 320 samples, 160 octets and +160 per packet', () => {
    const { clock, queue, packets, rtp } = sender({ ...pcmu, codec: CODECS.G722, payloadType: 9 });
    queue.enqueue(sine(1000, 40, 16000), 16000);
    rtp.start();
    clock.advance(40);
    expect(packets.map((p) => [p.payload.length, p.timestamp - 1000])).toEqual([
      [160, 0],
      [160, 160],
      [160, 320],
    ]);
  });
});

describe('RTP sender across a codec change', () => {
  it('resamples the queued audio to the new codec rate (8 kHz queue, G.722 after a re-INVITE)', () => {
    const { clock, queue, packets, rtp } = sender(pcmu);
    queue.enqueue(sine(1000, 100, 8000, 8000), 8000);
    rtp.start();
    clock.advance(20);
    rtp.updateMedia({ ...pcmu, codec: CODECS.G722, payloadType: 9 });
    clock.advance(60);
    const g722 = packets.filter((p) => p.payloadType === 9);
    expect(g722.length).toBeGreaterThanOrEqual(3);
    expect(g722.every((p) => p.payload.length === 160)).toBe(true);
    const decoder = CODECS.G722.createDecoder();
    const decoded = g722.map((p) => decoder.decode(p.payload));
    expect(dominantFrequencyHz(decoded[decoded.length - 1]!, 16000)).toBe(1000);
  });
});

describe('RTP receiver', () => {
  const writer = (seq: number, ts: number, payload: Uint8Array, pt = 0, ssrc = 77) =>
    serializeRtpPacket({ payloadType: pt, sequenceNumber: seq & 0xffff, timestamp: ts, ssrc, payload });

  function receiver() {
    const clock = new FakeClock();
    const frames: Frame[] = [];
    const rx = new RtpReceiver({ clock, media: pcmu, jitterBufferMs: 60, onFrame: (f) => frames.push(f) });
    return { clock, frames, rx };
  }

  it('decodes audio into frames in sequence order, with media timestamps', () => {
    const { clock, frames, rx } = receiver();
    const payload = (v: number) => encodeUlaw(Int16Array.from({ length: 160 }, () => v));
    rx.receive(writer(65535, 8000, payload(100)));
    clock.advance(20);
    rx.receive(writer(1, 8320, payload(300))); // 0 is late
    clock.advance(5);
    rx.receive(writer(0, 8160, payload(200)));
    const audio = frames.filter((f) => f.type === 'audio');
    expect(audio.map((f) => f.type === 'audio' && [f.timestampMs, f.sampleRateHz, f.samples.length])).toEqual(
      [
        [0, 8000, 160],
        [20, 8000, 160],
        [40, 8000, 160],
      ],
    );
    expect(rx.stats()).toMatchObject({ packetsReceived: 3, packetsLost: 0, late: 0 });
  });

  it('gives up on a lost packet after the jitter buffer wait and counts it', () => {
    const { clock, frames, rx } = receiver();
    rx.receive(writer(10, 0, new Uint8Array(160)));
    rx.receive(writer(12, 320, new Uint8Array(160)));
    expect(frames).toHaveLength(1);
    clock.advance(59);
    expect(frames).toHaveLength(1);
    clock.advance(1);
    expect(frames).toHaveLength(2);
    rx.receive(writer(11, 160, new Uint8Array(160)));
    expect(frames).toHaveLength(2);
    expect(rx.stats()).toMatchObject({ packetsReceived: 3, late: 1 });
  });

  it('turns telephone-event packets into one DTMF frame and ignores other payload types', () => {
    const { clock, frames, rx } = receiver();
    let seq = 100;
    for (const [end, duration] of [
      [false, 160],
      [false, 320],
      [true, 400],
      [true, 400],
      [true, 400],
    ] as const) {
      rx.receive(writer(seq++, 5000, encodeTelephoneEvent({ event: 11, end, volume: 10, duration }), 101));
      clock.advance(20);
    }
    rx.receive(writer(seq++, 5400, new Uint8Array(20), 18)); // G.729: not negotiated
    rx.receive(Uint8Array.from([1, 2, 3]));
    expect(frames).toEqual([{ type: 'dtmf', digit: '#', durationMs: 50, source: 'rfc4733' }]);
    expect(rx.stats().ignored).toBe(2);
  });

  it('starts over when the source changes (a new SSRC)', () => {
    const { frames, rx } = receiver();
    rx.receive(writer(500, 0, new Uint8Array(160)));
    rx.receive(writer(9000, 123456, new Uint8Array(160), 0, 78));
    rx.receive(writer(9001, 123616, new Uint8Array(160), 0, 78));
    expect(frames.map((f) => f.type === 'audio' && f.timestampMs)).toEqual([0, 0, 20]);
    expect(rx.remoteSsrc).toBe(78);
    expect(rx.stats().packetsLost).toBe(0);
  });
});
