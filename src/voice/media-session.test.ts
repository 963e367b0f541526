import { describe, expect, it } from 'vitest';
import { audioFrame, type DtmfFrame, type Frame } from './frames.ts';
import { openMediaSessionFromOffer, openMediaSessionWithOffer, type MediaSession } from './media-session.ts';
import { RtpPortAllocator } from './rtp/port-allocator.ts';
import { dominantFrequencyHz, levelDbfs, sine } from './signal.ts';
import type { PlayoutEvent } from './barge-in/audio-out-queue.ts';

const ports = new RtpPortAllocator({ minPort: 42000, maxPort: 42099 });
const base = { localAddress: '127.0.0.1', ports, rtcpIntervalMs: 200 };

function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(check, 10);
    };
    check();
  });
}

/** Caller leg offering, callee leg answering, both on real UDP sockets on 127.0.0.1. */
async function connect(
  callerCodecs: Array<'PCMU' | 'PCMA' | 'G722' | 'L16'>,
  calleeCodecs: Array<'PCMU' | 'PCMA' | 'G722' | 'L16'>,
) {
  const { session: pending, offerSdp } = await openMediaSessionWithOffer({
    ...base,
    codecs: callerCodecs,
    bargeIn: false,
  });
  const answered = await openMediaSessionFromOffer(offerSdp, { ...base, codecs: calleeCodecs });
  if (!answered.ok) throw new Error(answered.detail);
  const accepted = await pending.applyAnswer(answered.answerSdp);
  if (!accepted.ok) throw new Error(accepted.detail);
  return { caller: accepted.session, callee: answered.session };
}

function collect(session: MediaSession): Frame[] {
  const frames: Frame[] = [];
  session.onFrame((f) => frames.push(f));
  return frames;
}

function joinAudio(frames: Frame[]): Int16Array {
  const audio = frames.flatMap((f) => (f.type === 'audio' ? [f.samples] : []));
  const out = new Int16Array(audio.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of audio) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

describe('media session over real UDP on 127.0.0.1', () => {
  it('carries a G.722 call: wideband audio one way, a key press the other, then closes cleanly', async () => {
    const { caller, callee } = await connect(['G722', 'PCMU'], ['G722', 'PCMU']);
    expect(callee.media.codec.name).toBe('G722');
    expect(caller.media.codec.name).toBe('G722');
    const heard = collect(callee);
    const playout: PlayoutEvent[] = [];
    caller.onPlayout((e) => playout.push(e));

    // 400 ms of a 1 kHz tone, handed over at 16 kHz as a TTS engine would.
    caller.push(audioFrame(sine(1000, 400, 16000, 8000), 16000));
    await waitFor(() => playout.some((e) => e.type === 'finished'));
    await new Promise((r) => setTimeout(r, 120));

    const frames = heard.filter((f) => f.type === 'audio');
    expect(
      frames.every((f) => f.type === 'audio' && f.sampleRateHz === 16000 && f.samples.length === 320),
    ).toBe(true);
    const audio = joinAudio(heard);
    // Find the loud part (the tone) in what arrived among the silence packets.
    const loud: number[] = [];
    for (let i = 0; i + 320 <= audio.length; i += 320) if (levelDbfs(audio, i, i + 320) > -30) loud.push(i);
    expect(loud.length).toBeGreaterThanOrEqual(19);
    const start = loud[1] as number;
    const tone = audio.subarray(start, start + 320 * 15);
    expect(dominantFrequencyHz(tone, 16000)).toBe(1000);

    // The callee presses 5 during the call: the caller gets exactly one RFC 4733 digit.
    const callerHeard = collect(caller);
    callee.push({ type: 'dtmf', digit: '5', durationMs: 120, source: 'rfc4733' });
    await waitFor(() => callerHeard.some((f) => f.type === 'dtmf'));
    await new Promise((r) => setTimeout(r, 100));
    expect(callerHeard.filter((f): f is DtmfFrame => f.type === 'dtmf')).toEqual([
      { type: 'dtmf', digit: '5', durationMs: 120, source: 'rfc4733' },
    ]);

    // RTCP has flowed both ways: the caller knows how the callee received it.
    await waitFor(() => caller.stats().remoteReport !== undefined);
    const stats = callee.stats();
    expect(stats.received.packetsReceived).toBeGreaterThan(20);
    expect(stats.received.packetsLost).toBe(0);
    expect(stats.sendTiming.ticks).toBeGreaterThan(20);

    const ended = (async () => {
      const kinds: string[] = [];
      for await (const frame of callee.frames()) kinds.push(frame.type);
      return kinds;
    })();
    await Promise.all([caller.close('test over'), callee.close('test over')]);
    const kinds = await ended;
    expect(kinds[kinds.length - 1]).toBe('end');
    expect(ports.allocated).toBe(0);
  });

  it('puts the far end on hold by re-INVITE and resumes it', async () => {
    const { caller, callee } = await connect(['PCMU'], ['PCMA', 'PCMU']);
    expect(callee.media.codec.name).toBe('PCMU');
    const holdOffer = caller.createOffer('sendonly');
    const holdAnswer = callee.answer(holdOffer);
    expect(holdAnswer.ok && holdAnswer.media.direction).toBe('recvonly');
    expect(caller.applyAnswer(holdAnswer.ok ? holdAnswer.sdp : '', 'sendonly')).toMatchObject({
      ok: true,
      media: { direction: 'sendonly' },
    });
    const before = callee.stats().packetsSent;
    await new Promise((r) => setTimeout(r, 100));
    expect(callee.stats().packetsSent).toBe(before); // the held side sends nothing
    const resume = callee.answer(caller.createOffer('sendrecv'));
    expect(resume.ok && resume.media.direction).toBe('sendrecv');
    await waitFor(() => callee.stats().packetsSent > before + 2);
    await Promise.all([caller.close(), callee.close()]);
  });

  it('refuses an offer without a common codec and keeps no port', async () => {
    const { session: pending, offerSdp } = await openMediaSessionWithOffer({ ...base, codecs: ['L16'] });
    const result = await openMediaSessionFromOffer(offerSdp, { ...base, codecs: ['PCMU', 'PCMA'] });
    expect(result).toMatchObject({ ok: false, reason: 'no-common-codec' });
    await pending.cancel();
    expect(ports.allocated).toBe(0);
  });

  it('feeds SIP INFO key presses into the inbound frames', async () => {
    const { caller, callee } = await connect(['PCMU'], ['PCMU']);
    const heard = collect(callee);
    expect(callee.receiveInfoDtmf('application/dtmf-relay', 'Signal=#\r\nDuration=200\r\n')).toBe(true);
    expect(callee.receiveInfoDtmf('application/dtmf-relay', 'Duration=200')).toBe(false);
    expect(heard.filter((f) => f.type === 'dtmf')).toEqual([
      { type: 'dtmf', digit: '#', durationMs: 200, source: 'info' },
    ]);
    await Promise.all([caller.close(), callee.close()]);
  });
});
