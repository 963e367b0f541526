/**
 * Writes RTP streams as classic pcap files (Ethernet, IPv4, UDP), for SIPp's `play_pcap_audio` to replay
 * as a caller's audio: speech rendered by a TTS, encoded with the call's codec, one packet per 20 ms.
 */
import { writeFileSync } from 'node:fs';
import { CODECS, type CodecName } from '../../src/voice/codecs/codec.ts';
import { createResampler } from '../../src/voice/codecs/resampler.ts';
import { RtpStreamWriter } from '../../src/voice/rtp/rtp-stream-writer.ts';

export interface TimedPacket {
  timeMs: number;
  payload: Uint8Array;
}

/** RTP packets of `samples` (16 kHz PCM) in `codec`, with `leadMs` of silence before and `tailMs` after. */
export function speechPackets(samples16k: Int16Array, codecName: CodecName, options: { leadMs?: number; tailMs?: number; ssrc?: number } = {}): TimedPacket[] {
  const codec = CODECS[codecName];
  const pcm = codec.sampleRateHz === 16000 ? samples16k : createResampler(16000, codec.sampleRateHz).process(samples16k);
  const perPacket = codec.sampleRateHz / 50;
  const lead = Math.round(((options.leadMs ?? 200) * codec.sampleRateHz) / 1000);
  const tail = Math.round(((options.tailMs ?? 1000) * codec.sampleRateHz) / 1000);
  const all = new Int16Array(lead + pcm.length + tail + perPacket);
  all.set(pcm, lead);
  const encoder = codec.createEncoder();
  const writer = new RtpStreamWriter({ ...(options.ssrc !== undefined ? { ssrc: options.ssrc } : {}), initialSequence: 1000, timestampBase: 0 });
  const payloadType = codec.staticPayloadType ?? 96;
  const step = codec.rtpClockRateHz / 50;
  const packets: TimedPacket[] = [];
  for (let i = 0, n = 0; i + perPacket <= all.length; i += perPacket, n++) {
    packets.push({ timeMs: n * 20, payload: writer.next(payloadType, n * step, encoder.encode(all.subarray(i, i + perPacket)), n === 0) });
  }
  return packets;
}

export function writeRtpPcap(file: string, packets: readonly TimedPacket[], ports = { source: 40000, destination: 40002 }): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  const records = packets.map(({ timeMs, payload }) => {
    const frame = Buffer.alloc(14 + 20 + 8 + payload.length);
    frame.writeUInt16BE(0x0800, 12); // IPv4
    const ip = 14;
    frame.writeUInt8(0x45, ip);
    frame.writeUInt16BE(20 + 8 + payload.length, ip + 2);
    frame.writeUInt8(64, ip + 8);
    frame.writeUInt8(17, ip + 9); // UDP
    Buffer.from([127, 0, 0, 1]).copy(frame, ip + 12);
    Buffer.from([127, 0, 0, 1]).copy(frame, ip + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += frame.readUInt16BE(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    frame.writeUInt16BE(~sum & 0xffff, ip + 10);
    const udp = ip + 20;
    frame.writeUInt16BE(ports.source, udp);
    frame.writeUInt16BE(ports.destination, udp + 2);
    frame.writeUInt16BE(8 + payload.length, udp + 4);
    Buffer.from(payload).copy(frame, udp + 8);
    const record = Buffer.alloc(16);
    const at = 1_700_000_000_000 + timeMs;
    record.writeUInt32LE(Math.floor(at / 1000), 0);
    record.writeUInt32LE(Math.round((at % 1000) * 1000), 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  writeFileSync(file, Buffer.concat([header, ...records]));
}
