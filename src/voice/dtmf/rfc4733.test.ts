import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRtpPacket } from '../rtp/rtp-packet.ts';
import { readPcapUdp } from '../rtp/pcap-reader.ts';
import type { DtmfFrame } from '../frames.ts';
import { Rfc4733Receiver } from './rfc4733-receiver.ts';
import { Rfc4733EventPlan } from './rfc4733-sender.ts';
import { decodeTelephoneEvent, encodeTelephoneEvent } from './telephone-event.ts';

const SIPP_PCAPS = '/usr/share/sip-tester';

describe('RFC 4733 telephone-event payload', () => {
  it('encodes event, end bit, volume and duration', () => {
    expect(Array.from(encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 }))).toEqual([
      11, 0x8a, 0x03, 0x20,
    ]);
    expect(decodeTelephoneEvent(Uint8Array.from([5, 0x0a, 0x01, 0x40]))).toEqual({
      event: 5,
      end: false,
      volume: 10,
      duration: 320,
    });
    expect(decodeTelephoneEvent(Uint8Array.from([5, 0x0a, 0x01]))).toBeUndefined();
  });
});

describe('RFC 4733 sending', () => {
  it('sends start with marker, growing continuations, and the end three times, all on one timestamp', () => {
    const plan = new Rfc4733EventPlan('7', 100, 8000, 160);
    const packets = [];
    for (let p = plan.next(); p; p = plan.next())
      packets.push({ ...decodeTelephoneEvent(p.payload), marker: p.marker });
    expect(packets.map((p) => [p.marker, p.end, p.duration])).toEqual([
      [true, false, 160],
      [false, false, 320],
      [false, false, 480],
      [false, false, 640],
      [false, true, 800],
      [false, true, 800],
      [false, true, 800],
    ]);
    expect(packets.every((p) => p.event === 7 && p.volume === 10)).toBe(true);
    expect(plan.done).toBe(true);
  });
});

describe('RFC 4733 receiving', () => {
  function feed(
    receiver: Rfc4733Receiver,
    plan: Rfc4733EventPlan,
    timestamp: number,
    startMs: number,
  ): DtmfFrame[] {
    const out: DtmfFrame[] = [];
    let t = startMs;
    for (let p = plan.next(); p; p = plan.next(), t += 20)
      out.push(...receiver.receive(p.payload, timestamp, t));
    return out;
  }

  it('emits one digit per event despite the redundant end packets', () => {
    const receiver = new Rfc4733Receiver(8000);
    const digits = [
      ...feed(receiver, new Rfc4733EventPlan('1', 100, 8000, 160), 1000, 0),
      ...feed(receiver, new Rfc4733EventPlan('1', 100, 8000, 160), 5000, 500),
      ...feed(receiver, new Rfc4733EventPlan('#', 160, 8000, 160), 9000, 1000),
    ];
    expect(digits).toEqual([
      { type: 'dtmf', digit: '1', durationMs: 100, source: 'rfc4733' },
      { type: 'dtmf', digit: '1', durationMs: 100, source: 'rfc4733' },
      { type: 'dtmf', digit: '#', durationMs: 160, source: 'rfc4733' },
    ]);
  });

  it('ignores duplicated and late packets of an event already emitted', () => {
    const receiver = new Rfc4733Receiver(8000);
    const end = encodeTelephoneEvent({ event: 3, end: true, volume: 10, duration: 800 });
    const late = encodeTelephoneEvent({ event: 3, end: false, volume: 10, duration: 480 });
    expect(receiver.receive(end, 42, 0)).toHaveLength(1);
    expect(receiver.receive(end, 42, 1)).toEqual([]);
    expect(receiver.receive(late, 42, 2)).toEqual([]);
  });

  it('still emits the digit when every end packet is lost', () => {
    const receiver = new Rfc4733Receiver(8000, { endTimeoutMs: 300 });
    const start = encodeTelephoneEvent({ event: 9, end: false, volume: 10, duration: 160 });
    expect(receiver.receive(start, 7, 0)).toEqual([]);
    expect(receiver.poll(299)).toEqual([]);
    expect(receiver.poll(300)).toEqual([{ type: 'dtmf', digit: '9', durationMs: 20, source: 'rfc4733' }]);
    // …or when the next event begins first
    receiver.receive(start, 100, 400);
    const next = receiver.receive(
      encodeTelephoneEvent({ event: 4, end: true, volume: 10, duration: 800 }),
      900,
      420,
    );
    expect(next.map((f) => f.digit)).toEqual(['9', '4']);
  });

  const cases: Array<[string, string]> = [
    ['0', '0'],
    ['1', '1'],
    ['5', '5'],
    ['9', '9'],
    ['star', '*'],
    ['pound', '#'],
  ];
  it.each(cases)('decodes the digit in SIPp capture dtmf_2833_%s.pcap', (name, digit) => {
    const path = `${SIPP_PCAPS}/dtmf_2833_${name}.pcap`;
    expect(existsSync(path), `${path} missing: install the Debian package sip-tester`).toBe(true);
    const datagrams = readPcapUdp(readFileSync(path));
    expect(datagrams.length).toBeGreaterThan(3);
    const receiver = new Rfc4733Receiver(8000);
    const frames: DtmfFrame[] = [];
    for (const d of datagrams) {
      const packet = parseRtpPacket(d.payload);
      expect(packet?.payloadType).toBe(101);
      if (packet) frames.push(...receiver.receive(packet.payload, packet.timestamp, d.timeMs));
    }
    frames.push(...receiver.poll(Infinity));
    expect(frames.map((f) => f.digit)).toEqual([digit]);
    expect(frames[0]?.durationMs).toBeGreaterThan(40);
  });
});
