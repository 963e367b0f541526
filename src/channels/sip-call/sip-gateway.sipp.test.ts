/**
 * Black-box: SIPp (Debian sip-tester) calls the demo bank bot on a real Parley server, as a contact center
 * would put a caller through. The caller is heard (G.722 RTP from speech rendered by flite, RFC 2833 keys
 * from Debian's captures); Parley's prompts are heard back on the caller's RTP port; asking for an agent
 * brings a REFER with the session-history key, routed by the hand-off engine to a SIP contact center. A
 * caller that cannot be transferred by REFER is bridged to the agent's phone (a second SIPp) instead.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../apps/logger.ts';
import { demoBotsDir } from '../../apps/server/config.ts';
import { resolveSipConfig } from '../../apps/server/sip-config.ts';
import { startServer, type RunningServer } from '../../apps/server/start.ts';
import { createFliteTts } from '../../speech/flite-tts.ts';
import { TtsCache } from '../../speech/tts-cache.ts';
import { G722Decoder } from '../../voice/codecs/g722.ts';
import { parseRtpPacket } from '../../voice/rtp/rtp-packet.ts';
import { speechPackets, writeRtpPcap } from '../../../test/sip-call/rtp-pcap.ts';
import { SCENARIOS, runSipp } from '../../../test/sip-call/run-sipp.ts';
import { freeUdpPort } from '../../../test/sip/sipp.ts';

let agentPort = 0;
const ROUTING = () => `
workstreams:
  - id: voice
    channel: voice
    rules:
      - { name: all-calls, if: 'true', queue: general }
queues:
  - { id: general, name: General enquiries, connector: pbx }
agents: []
bots:
  - { id: bank, queues: [general] }
connectors:
  - { id: pbx, kind: sip, target: 'sip:agents@127.0.0.1:${agentPort}', headers: { X-Tenant: acme } }
`;

let dir: string;
let server: RunningServer;
let rtp: Socket;
const heard = { packets: 0, loudPackets: 0, tonePackets: 0 };

/** How much of a packet's energy is a 1 kHz tone (Goertzel), 0–1. */
function toneShare(samples: Int16Array, rateHz: number): number {
  const k = (2 * Math.PI * 1000) / rateHz;
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (const x of samples) {
    const s0 = x + 2 * Math.cos(k) * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += x * x;
  }
  const power = s1 * s1 + s2 * s2 - 2 * Math.cos(k) * s1 * s2;
  return energy > 0 ? (2 * power) / (samples.length * energy) : 0;
}

async function tonePcap(name: string, seconds: number): Promise<string> {
  const tone = Int16Array.from({ length: 16000 * seconds }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 16000)));
  const file = join(dir, `${name}.pcap`);
  writeRtpPcap(file, speechPackets(tone, 'PCMU', { leadMs: 0, tailMs: 0, ssrc: 0xa9e47 }));
  return file;
}

async function speechPcap(name: string, text: string): Promise<string> {
  const tts = new TtsCache({ provider: createFliteTts() });
  const parts: Int16Array[] = [];
  for await (const chunk of tts.speak({ text, voice: 'slt' })) parts.push(chunk);
  const samples = Int16Array.from(parts.flatMap((p) => [...p]));
  const file = join(dir, `${name}.pcap`);
  writeRtpPcap(file, speechPackets(samples, 'G722', { leadMs: 300, tailMs: 1200, ssrc: 0x5eec4 }));
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-sip-bank-'));
  agentPort = await freeUdpPort();
  writeFileSync(join(dir, 'routing.yaml'), ROUTING());
  server = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: dir, botsDir: demoBotsDir, apiKey: 'test-key-0123456789', logLevel: 'warn', sip: { ...resolveSipConfig('0', {})!, drainTimeoutMs: 2000 } },
    { logger: createLogger({ level: 'warn' }), print: () => undefined },
  );
  rtp = createSocket('udp4');
  await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
  const decoder = new G722Decoder();
  rtp.on('message', (message) => {
    const packet = parseRtpPacket(message);
    if (!packet || packet.payloadType !== 9) return;
    heard.packets++;
    const samples = decoder.decode(packet.payload);
    let sum = 0;
    for (const s of samples) sum += s * s;
    if (Math.sqrt(sum / samples.length) > 300) {
      heard.loudPackets++;
      if (toneShare(samples, 16000) > 0.7) heard.tonePackets++;
    }
  });
}, 120_000);

afterAll(async () => {
  rtp?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SIPp calls the demo bank bot', () => {
  it('answers with SDP, plays prompts, takes speech and RFC 2833 keys, and hands off by REFER with the history key', async () => {
    const scenario = readFileSync(join(SCENARIOS, 'bank-caller.xml'), 'utf8')
      .replace('{{contactId}}', '98765')
      .replace('{{rtpPort}}', String(rtp.address().port))
      .replace('{{checkBalance}}', await speechPcap('check-balance', 'Check my balance.'))
      .replace('{{talkToAgent}}', await speechPcap('talk-to-agent', 'Talk to an agent.'))
      .replace('{{agentPort}}', String(agentPort))
      .replace('{{afterCheckBalanceMs}}', '6000')
      .replace('{{afterAccountMs}}', '4500')
      .replace('{{referTimeoutMs}}', '20000');
    writeFileSync(join(dir, 'bank-caller.xml'), scenario);
    const udp = server.sip!.bindings.find((b) => b.protocol === 'udp')!.port;
    const run = await runSipp(['-sf', join(dir, 'bank-caller.xml'), '-m', '1', '-s', 'bank', '-i', '127.0.0.1', '-p', '0', '-mp', '0', '-timeout', '60s', '-timeout_error', `127.0.0.1:${udp}`], 70_000);
    expect(run.code, run.diagnostics).toBe(0);

    // The caller heard Parley: RTP in the answered codec, with the prompts' audio in it.
    expect(heard.packets).toBeGreaterThan(200);
    expect(heard.loudPackets).toBeGreaterThan(100);

    // The call, as operations see it.
    const calls = (await (await fetch(`${server.url}/api/calls`, { headers: { authorization: 'Bearer test-key-0123456789' } })).json()) as { recent: Array<Record<string, any>> };
    const call = calls.recent[0]!;
    expect(call).toMatchObject({ botId: 'bank', from: '+15550100', to: 'bank', endReason: 'transferred', transfer: { target: `sip:agents@127.0.0.1:${agentPort}`, result: 'ok 200' } });
    expect(call.media).toMatchObject({ codec: 'G722', packetsLost: 0 });
    expect(call.media.packetsReceived).toBeGreaterThan(100);

    // The stored conversation: the header values, the transcript, the hand-off, and the key on the REFER.
    const conversation = (await server.storage.conversations.get(call.conversationId as string))!;
    const session = conversation.state.vars.session as Record<string, any>;
    expect(session.sip.headers).toMatchObject({ 'X-ContactID': '98765', 'X-Campaign': 'spring-offers' });
    expect(session.sip.userToUser).toMatchObject({ text: 'customer=42', encoding: 'hex' });
    expect(session).toMatchObject({ from: '+15550100', to: 'bank' });
    expect(conversation).toMatchObject({ channel: 'voice', status: 'ended', outcome: 'escalated' });
    const turns = await server.storage.conversations.turns(conversation.id);
    const said = turns.filter((t) => t.speaker === 'customer');
    // The request for an agent came at the PIN question, whose answers are masked in transcripts.
    expect(said.map((t) => t.text)).toEqual(['check my balance', '12345678', '**** ** ** *****']);
    expect(said.map((t) => t.intent)).toEqual(['check_balance', null, 'talk_to_agent']);
    expect(turns.find((t) => t.speaker === 'bot' && t.text.includes('8-digit account number'))).toBeDefined();
    expect(run.logs).toContain(`history-key=${conversation.historyKey}`);
  }, 90_000);

  it('bridges a caller that cannot be transferred by REFER to the agent, whom the caller then hears', async () => {
    heard.tonePackets = 0;
    const agentScenario = readFileSync(join(SCENARIOS, 'agent-hangs-up.xml'), 'utf8').replace(
      '<pause milliseconds="{{holdMs}}"/>',
      `<nop><action><exec play_pcap_audio="${await tonePcap('agent-tone', 2)}"/></action></nop>\n  <pause milliseconds="3000"/>`,
    );
    writeFileSync(join(dir, 'agent.xml'), agentScenario);
    const agent = runSipp(['-sf', join(dir, 'agent.xml'), '-i', '127.0.0.1', '-p', String(agentPort), '-mp', '0', '-m', '1', '-timeout', '60s', '-timeout_error'], 70_000);
    const scenario = readFileSync(join(SCENARIOS, 'bank-caller-bridged.xml'), 'utf8')
      .replace('{{contactId}}', '55555')
      .replace('{{rtpPort}}', String(rtp.address().port))
      .replace('{{talkToAgent}}', await speechPcap('talk-to-agent-2', 'Talk to an agent.'))
      .replace('{{byeTimeoutMs}}', '40000');
    writeFileSync(join(dir, 'bank-caller-bridged.xml'), scenario);
    const udp = server.sip!.bindings.find((b) => b.protocol === 'udp')!.port;
    const caller = await runSipp(['-sf', join(dir, 'bank-caller-bridged.xml'), '-m', '1', '-s', 'bank', '-i', '127.0.0.1', '-p', '0', '-mp', '0', '-timeout', '60s', '-timeout_error', `127.0.0.1:${udp}`], 70_000);
    const callee = await agent;
    expect(caller.code, caller.diagnostics).toBe(0);
    expect(callee.code, callee.diagnostics).toBe(0);
    const call = server.sip!.calls.recent()[0]!;
    expect(call).toMatchObject({ endReason: 'bridged, agent-hangup', transfer: { target: `sip:agents@127.0.0.1:${agentPort}`, result: 'bridged' } });
    const conversation = (await server.storage.conversations.get(call.conversationId!))!;
    expect(callee.messages).toContain(`X-Session-History-Key: ${conversation.historyKey}`);
    expect(conversation).toMatchObject({ status: 'ended', outcome: 'escalated' });
    // Two seconds of the agent's 1 kHz tone reached the caller through the bridge (PCMU in, G.722 out).
    expect(heard.tonePackets).toBeGreaterThan(60);
  }, 90_000);
});
