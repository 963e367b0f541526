/**
 * Placing calls (the UAC side), against SIPp playing an agent's phone: answered and hung up by us,
 * answered and hung up by them, busy, and unanswered until we cancel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIOS, runSipp, type SippRun } from '../../../test/sip-call/run-sipp.ts';
import { freeUdpPort } from '../../../test/sip/sipp.ts';
import { createSipAgent, type SipAgent } from './sip-agent.ts';

const OFFER = ['v=0', 'o=parley 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
let agent: SipAgent | undefined;
let dir: string | undefined;

afterEach(async () => {
  await agent?.close();
  agent = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** SIPp as the agent's phone on a free port; resolves when SIPp is done. */
async function phone(scenario: string, replacements: Record<string, string> = {}): Promise<{ port: number; done: Promise<SippRun> }> {
  dir = mkdtempSync(join(tmpdir(), 'parley-uac-'));
  let xml = readFileSync(join(SCENARIOS, scenario), 'utf8');
  for (const [k, v] of Object.entries(replacements)) xml = xml.replaceAll(`{{${k}}}`, v);
  writeFileSync(join(dir, scenario), xml);
  const port = await freeUdpPort();
  const done = runSipp(['-sf', join(dir, scenario), '-i', '127.0.0.1', '-p', String(port), '-mp', String(await freeUdpPort()), '-m', '1', '-timeout', '15s', '-timeout_error'], 20_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  agent = await createSipAgent({ transports: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], onInvite: (call) => call.reject(603) });
  return { port, done };
}

const headers = [{ name: 'X-Session-History-Key', value: 'hk_0123456789abcdef' }];

describe('placing a call', () => {
  it('is answered with SDP, and our BYE ends it', async () => {
    const { port, done } = await phone('agent-hangs-up.xml', { holdMs: '10000' });
    const placed = await agent!.call(`sip:agent@127.0.0.1:${port}`, { sdp: OFFER, headers });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    expect(placed.answerSdp).toMatch(/m=audio \d+ RTP\/AVP 0/);
    await placed.call.bye();
    await expect(placed.call.ended).resolves.toEqual({ reason: 'local-bye' });
    const run = await done;
    // The scenario expected to hang up itself: our BYE came first, which SIPp reports as unexpected.
    expect(run.messages).toMatch(/BYE sip:agent@127\.0\.0\.1/);
    expect(run.messages).toMatch(/X-Session-History-Key: hk_0123456789abcdef/);
  });

  it('ends when the other side hangs up', async () => {
    const { port, done } = await phone('agent-hangs-up.xml', { holdMs: '300' });
    const placed = await agent!.call(`sip:agent@127.0.0.1:${port}`, { sdp: OFFER, headers });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    await expect(placed.call.ended).resolves.toEqual({ reason: 'remote-bye' });
    const run = await done;
    expect(run.code, run.diagnostics).toBe(0);
  });

  it('reports a busy phone with its status', async () => {
    const { port, done } = await phone('agent-busy.xml');
    await expect(agent!.call(`sip:agent@127.0.0.1:${port}`, { sdp: OFFER, headers })).resolves.toEqual({ ok: false, status: 486, reason: 'Busy Here' });
    const run = await done;
    expect(run.code, run.diagnostics).toBe(0);
  });

  it('cancels a call nobody answers in time', async () => {
    const { port, done } = await phone('agent-no-answer.xml');
    const t0 = Date.now();
    await expect(agent!.call(`sip:agent@127.0.0.1:${port}`, { sdp: OFFER, headers, timeoutMs: 500 })).resolves.toEqual({ ok: false, status: 487, reason: 'Request Terminated' });
    expect(Date.now() - t0).toBeLessThan(3000);
    const run = await done;
    expect(run.code, run.diagnostics).toBe(0);
  });

  it('refuses a target that is not a SIP URI', async () => {
    agent = await createSipAgent({ transports: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], onInvite: (call) => call.reject(603) });
    await expect(agent.call('agents at the desk', { sdp: OFFER })).rejects.toThrow(/not a SIP URI/);
  });
});
