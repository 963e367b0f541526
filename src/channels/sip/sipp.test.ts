/**
 * Black-box tests with a real peer: SIPp (Debian `sip-tester`) calls the agent over UDP and TCP, pings
 * it with OPTIONS, authenticates with digest, and gets transferred with REFER.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIOS, freeUdpPort, runSipp } from '../../../test/sip/sipp.ts';
import type { IncomingCall } from './incoming-call.ts';
import type { ReferEvent } from './refer-subscription.ts';
import type { SipAgent, SipAgentOptions } from './sip-agent.ts';
import { createSipAgent } from './sip-agent.ts';
import type { CallEnd } from './call-types.ts';

const ANSWER = ['v=0', 'o=parley 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

let agent: SipAgent | undefined;

afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

async function startAgent(onInvite: SipAgentOptions['onInvite'], extra: Partial<SipAgentOptions> = {}): Promise<{ udp: number; tcp: number }> {
  agent = await createSipAgent({
    transports: [
      { protocol: 'udp', host: '127.0.0.1', port: 0 },
      { protocol: 'tcp', host: '127.0.0.1', port: 0 },
    ],
    onInvite,
    ...extra,
  });
  const port = (protocol: string): number => agent!.bindings.find((b) => b.protocol === protocol)!.port;
  return { udp: port('udp'), tcp: port('tcp') };
}

async function sipp(scenario: string[], target: number, transport: 'u1' | 't1' = 'u1', extra: string[] = []): ReturnType<typeof runSipp> {
  const args = [...scenario, '-m', '1', '-s', 'bank', '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-mp', String(await freeUdpPort())];
  return runSipp([...args, '-t', transport, '-d', '200', '-timeout', '15s', '-timeout_error', ...extra, `127.0.0.1:${target}`]);
}

/** The application under test: answer with SDP, remember how the call ended. */
function answering(calls: IncomingCall[], ends: CallEnd[]): SipAgentOptions['onInvite'] {
  return async (call) => {
    calls.push(call);
    void call.ended.then((end) => ends.push(end));
    call.ringing();
    await call.answer(ANSWER);
  };
}

describe('SIPp against the agent', () => {
  it("completes SIPp's built-in uac call over UDP: INVITE, 200 with SDP, ACK, BYE", async () => {
    const calls: IncomingCall[] = [];
    const ends: CallEnd[] = [];
    const { udp } = await startAgent(answering(calls, ends));
    const result = await sipp(['-sn', 'uac'], udp);
    expect(result.code, result.log).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.calledUser).toBe('bank');
    expect(calls[0]!.offer).toContain('m=audio');
    await expect(calls[0]!.ended).resolves.toEqual({ reason: 'remote-bye' });
    expect(agent!.activeCalls).toBe(0);
  });

  it('completes the same call over TCP', async () => {
    const calls: IncomingCall[] = [];
    const { tcp } = await startAgent(answering(calls, []));
    const result = await sipp(['-sn', 'uac'], tcp, 't1');
    expect(result.code, result.log).toBe(0);
    await expect(calls[0]!.ended).resolves.toEqual({ reason: 'remote-bye' });
  });

  it('answers an OPTIONS ping with 200', async () => {
    const { udp } = await startAgent(() => undefined);
    const result = await sipp(['-sf', `${SCENARIOS}options.xml`], udp);
    expect(result.code, result.log).toBe(0);
  });

  it('challenges an INVITE with digest and lets the right password in', async () => {
    const calls: IncomingCall[] = [];
    const { udp } = await startAgent(answering(calls, []), {
      auth: { realm: 'parley.test', password: (user) => (user === 'gateway' ? 's3cret' : undefined), algorithms: ['MD5'] },
    });
    // SIPp's digest uri defaults to sip:host:port; this agent wants the Request-URI itself (RFC 2617 §3.2.2.5).
    const authUri = ['-auth_uri', `bank@127.0.0.1:${udp}`]; // SIPp prefixes sip:
    const result = await sipp(['-sf', `${SCENARIOS}uac-auth.xml`], udp, 'u1', ['-au', 'gateway', '-ap', 's3cret', ...authUri]);
    expect(result.code, result.log).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('keeps a caller with the wrong password out', async () => {
    const calls: IncomingCall[] = [];
    const { udp } = await startAgent(answering(calls, []), {
      auth: { realm: 'parley.test', password: () => 's3cret', algorithms: ['MD5'] },
    });
    const result = await sipp(['-sf', `${SCENARIOS}uac-auth.xml`], udp, 'u1', ['-au', 'gateway', '-ap', 'wrong', '-recv_timeout', '1000']);
    expect(result.code).not.toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('transfers the caller with REFER and follows the NOTIFY progress to the end', async () => {
    const events: ReferEvent[] = [];
    const { udp } = await startAgent(async (call) => {
      await call.answer(ANSWER);
      for await (const event of call.refer('sip:agent@cc.example.com', { headers: [{ name: 'X-Parley-Context', value: 'escalated' }] })) {
        events.push(event);
      }
      await call.bye();
    });
    const result = await sipp(['-sf', `${SCENARIOS}refer-uac.xml`], udp);
    expect(result.code, result.log).toBe(0);
    expect(events).toEqual([
      { type: 'accepted', status: 202 },
      { type: 'progress', status: 100, reason: 'Trying', final: false },
      { type: 'progress', status: 200, reason: 'OK', final: true },
      { type: 'ended', reason: 'final' },
    ]);
  });
});
