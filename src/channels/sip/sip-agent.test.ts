/**
 * The agent seen from a caller: a scripted UAC on a real UDP socket drives calls through answer,
 * CANCEL, ACK loss, INFO, re-INVITE, REFER-less hang-ups and shutdown. T1 is 20 ms to keep it quick.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUdpPeer } from '../../../test/sip/udp-peer.ts';
import type { UdpPeer } from '../../../test/sip/udp-peer.ts';
import type { IncomingCall } from './incoming-call.ts';
import type { SipMessage, SipRequest, SipResponse } from './message.ts';
import { parseNameAddr, tagOf } from './name-addr.ts';
import type { SipAgent, SipAgentOptions } from './sip-agent.ts';
import { createSipAgent } from './sip-agent.ts';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

let agent: SipAgent;
let peer: UdpPeer;
let port: number;
let calls: IncomingCall[];

async function start(options: Partial<SipAgentOptions> = {}, onInvite: SipAgentOptions['onInvite'] = (call) => void calls.push(call)): Promise<void> {
  agent = await createSipAgent({ transports: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], timers: { t1: 20 }, onInvite, ...options });
  port = agent.bindings[0]!.port;
}

beforeEach(async () => {
  calls = [];
  peer = await createUdpPeer();
});

afterEach(async () => {
  await agent.close();
  await peer.close();
});

interface Leg {
  callId: string;
  fromTag: string;
  toTag?: string;
}

function request(method: string, leg: Leg, seq: number, options: { body?: string; contentType?: string; branch?: string; headers?: string[]; cseqMethod?: string } = {}): string {
  const body = options.body ?? '';
  return [
    `${method} sip:bank@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=${options.branch ?? `z9hG4bK${randomBytes(4).toString('hex')}`}`,
    'Max-Forwards: 70',
    `From: <sip:caller@127.0.0.1>;tag=${leg.fromTag}`,
    `To: <sip:bank@127.0.0.1>${leg.toTag ? `;tag=${leg.toTag}` : ''}`,
    `Call-ID: ${leg.callId}`,
    `CSeq: ${seq} ${options.cseqMethod ?? method}`,
    `Contact: <sip:caller@127.0.0.1:${peer.port}>`,
    ...(options.headers ?? []),
    ...(body ? [`Content-Type: ${options.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

const newLeg = (): Leg => ({ callId: `agent-${randomBytes(4).toString('hex')}`, fromTag: randomBytes(3).toString('hex') });

function response(leg: Leg, status: number, method?: string): (m: SipMessage) => m is SipResponse {
  return (m): m is SipResponse => m.kind === 'response' && m.status === status && m.headers.get('Call-ID') === leg.callId && (!method || cseqIs(m.headers.get('CSeq')!, method));
}

/** `method` is a method (`INVITE`) or a whole CSeq (`3 INVITE`). */
function cseqIs(cseq: string, method: string): boolean {
  return cseq === method || cseq.endsWith(` ${method}`);
}

function incoming(leg: Leg, method: string): (m: SipMessage) => m is SipRequest {
  return (m): m is SipRequest => m.kind === 'request' && m.method === method && m.headers.get('Call-ID') === leg.callId;
}

async function answerReply(request: SipRequest, status = 200, body = ''): Promise<void> {
  const lines = [`SIP/2.0 ${status} OK`, ...request.headers.getAll('Via').map((v) => `Via: ${v}`), `From: ${request.headers.get('From')}`, `To: ${request.headers.get('To')}`, `Call-ID: ${request.headers.get('Call-ID')}`, `CSeq: ${request.headers.get('CSeq')}`];
  if (body) lines.push(`Contact: <sip:caller@127.0.0.1:${peer.port}>`, 'Content-Type: application/sdp');
  await peer.send([...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'), port);
}

/** INVITE, answered by the app with SDP, ACKed: a confirmed call. */
async function establish(leg: Leg): Promise<IncomingCall> {
  await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
  await until(() => calls.some((c) => c.callId === leg.callId));
  const call = calls.find((c) => c.callId === leg.callId)!;
  const answered = call.answer(SDP);
  const ok = await peer.waitFor(response(leg, 200, 'INVITE'));
  leg.toTag = tagOf(parseNameAddr(ok.headers.get('To')!));
  await peer.send(request('ACK', leg, 1), port);
  await answered;
  return call;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('SIP agent as seen by a caller', () => {
  it('answers with 100, then the app rings and answers; the 200 carries a To tag, Contact and SDP', async () => {
    await start();
    const leg = newLeg();
    await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
    await peer.waitFor(response(leg, 100));
    await until(() => calls.length === 1);
    const call = calls[0]!;
    expect(call.offer).toBe(SDP);
    expect(call.calledUser).toBe('bank');
    call.ringing();
    await peer.waitFor(response(leg, 180));
    void call.answer(SDP);
    const ok = await peer.waitFor(response(leg, 200));
    expect(ok.headers.get('Contact')).toBe(`<sip:bank@127.0.0.1:${port}>`);
    expect(ok.body.toString()).toBe(SDP);
    expect(tagOf(parseNameAddr(ok.headers.get('To')!))).toBe(call.localTag);
  });

  it('retransmits the 200 until the ACK, then stops', async () => {
    await start();
    const leg = newLeg();
    const call = await establish(leg);
    const before = peer.received.filter(response(leg, 200)).length;
    expect(before).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(peer.received.filter(response(leg, 200)).length).toBe(before);
    expect(call.state).toBe('confirmed');
  });

  it('hangs up with BYE when the ACK never comes (64*T1)', async () => {
    await start();
    const leg = newLeg();
    await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
    await until(() => calls.length === 1);
    const answered = calls[0]!.answer(SDP);
    await expect(answered).resolves.toBe(false);
    const retransmissions = peer.received.filter(response(leg, 200)).length;
    expect(retransmissions).toBeGreaterThan(4);
    await peer.waitFor(incoming(leg, 'BYE'));
    await expect(calls[0]!.ended).resolves.toEqual({ reason: 'ack-timeout' });
  });

  it('takes a late offer from the ACK', async () => {
    await start();
    const leg = newLeg();
    await peer.send(request('INVITE', leg, 1), port);
    await until(() => calls.length === 1);
    const answered = calls[0]!.answer(SDP);
    const ok = await peer.waitFor(response(leg, 200));
    leg.toTag = tagOf(parseNameAddr(ok.headers.get('To')!));
    await peer.send(request('ACK', leg, 1, { body: SDP }), port);
    expect(await answered).toBe(true);
    expect(calls[0]!.ackSdp).toBe(SDP);
  });

  it('expires an offer the app leaves alone: 487 at the INVITE Expires, 480 at the agent limit', async () => {
    await start({ offerTimeoutMs: 300 });
    const short = newLeg();
    await peer.send(request('INVITE', short, 1, { body: SDP, headers: ['Expires: 0'] }), port);
    await peer.waitFor(response(short, 487, 'INVITE'));
    const long = newLeg();
    await peer.send(request('INVITE', long, 1, { body: SDP, headers: ['Expires: 60'] }), port);
    await peer.waitFor(response(long, 480, 'INVITE'));
    await expect(calls[1]!.ended).resolves.toEqual({ reason: 'unanswered', status: 480 });
  });

  it('refuses the same INVITE arriving again by another path with 482', async () => {
    await start();
    const leg = newLeg();
    await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
    await until(() => calls.length === 1);
    await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
    await peer.waitFor(response(leg, 482, 'INVITE'));
    expect(calls).toHaveLength(1);
  });

  it('settles answer() when the caller hangs up before acknowledging it', async () => {
    await start();
    const leg = newLeg();
    await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
    await until(() => calls.length === 1);
    const answered = calls[0]!.answer(SDP);
    const ok = await peer.waitFor(response(leg, 200, 'INVITE'));
    leg.toTag = tagOf(parseNameAddr(ok.headers.get('To')!));
    await peer.send(request('BYE', leg, 2), port);
    await expect(answered).resolves.toBe(false);
    await expect(calls[0]!.ended).resolves.toEqual({ reason: 'remote-bye' });
  });

  it('on CANCEL answers 200, ends the INVITE with 487 and tells the app', async () => {
    await start();
    const leg = newLeg();
    const branch = 'z9hG4bKcancelme';
    await peer.send(request('INVITE', leg, 1, { body: SDP, branch }), port);
    await until(() => calls.length === 1);
    let cancelled = false;
    calls[0]!.onCancel(() => (cancelled = true));
    await peer.send(request('CANCEL', leg, 1, { branch }), port);
    await peer.waitFor(response(leg, 200, 'CANCEL'));
    await peer.waitFor(response(leg, 487, 'INVITE'));
    expect(cancelled).toBe(true);
    await expect(calls[0]!.ended).resolves.toEqual({ reason: 'cancelled' });
    expect(() => calls[0]!.answer(SDP)).toThrow('cannot answer a call that is ended');
    await peer.send(request('CANCEL', newLeg(), 1), port);
    await peer.waitFor((m) => m.kind === 'response' && m.status === 481);
  });

  it('delivers INFO, answers OPTIONS inside the call, refuses an out-of-order CSeq', async () => {
    await start();
    const leg = newLeg();
    const call = await establish(leg);
    const infos: string[] = [];
    call.onInfo((info) => infos.push(`${info.contentType}:${info.body.toString()}`));
    await peer.send(request('INFO', leg, 2, { body: 'Signal=5\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' }), port);
    await peer.waitFor(response(leg, 200, 'INFO'));
    expect(infos).toEqual(['application/dtmf-relay:Signal=5\r\nDuration=160\r\n']);
    await peer.send(request('OPTIONS', leg, 3), port);
    await peer.waitFor(response(leg, 200, 'OPTIONS'));
    await peer.send(request('INFO', leg, 2, { body: 'x', contentType: 'text/plain' }), port);
    await peer.waitFor(response(leg, 500, 'INFO'));
  });

  it('answers a re-INVITE through the handler (hold), and with 488 without one', async () => {
    await start();
    const leg = newLeg();
    const call = await establish(leg);
    await peer.send(request('INVITE', leg, 2, { body: SDP }), port);
    await peer.waitFor(response(leg, 488, '2 INVITE'));
    const offers: Array<string | undefined> = [];
    call.onReinvite(({ sdp }) => {
      offers.push(sdp);
      return SDP.replace('m=audio', 'a=recvonly\r\nm=audio');
    });
    const hold = SDP + 'a=sendonly\r\n';
    await peer.send(request('INVITE', leg, 3, { body: hold }), port);
    const ok = await peer.waitFor(response(leg, 200, '3 INVITE'));
    expect(ok.body.toString()).toContain('a=recvonly');
    expect(offers).toEqual([hold]);
    await peer.send(request('ACK', leg, 3), port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = peer.received.filter(response(leg, 200, '3 INVITE')).length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(peer.received.filter(response(leg, 200, '3 INVITE')).length).toBe(sent);
    expect(call.state).toBe('confirmed');
  });

  it('sends its own re-INVITE and ACKs the answer', async () => {
    await start();
    const leg = newLeg();
    const call = await establish(leg);
    const result = call.reinvite(SDP);
    const reinvite = await peer.waitFor(incoming(leg, 'INVITE'));
    expect(reinvite.uri).toBe(`sip:caller@127.0.0.1:${peer.port}`);
    await answerReply(reinvite, 200, SDP);
    await expect(result).resolves.toEqual({ status: 200, sdp: SDP });
    const ack = await peer.waitFor(incoming(leg, 'ACK'));
    expect(ack.headers.get('CSeq')).toBe(reinvite.headers.get('CSeq')!.replace('INVITE', 'ACK'));
  });

  it('hangs up with BYE to the caller, and ends on the caller BYE', async () => {
    await start();
    const first = newLeg();
    const call = await establish(first);
    const bye = call.bye();
    const byeRequest = await peer.waitFor(incoming(first, 'BYE'));
    expect(byeRequest.headers.get('To')).toContain(`tag=${first.fromTag}`);
    await answerReply(byeRequest);
    await bye;
    await expect(call.ended).resolves.toEqual({ reason: 'local-bye' });

    const second = newLeg();
    const other = await establish(second);
    let heard = false;
    other.onBye(() => (heard = true));
    await peer.send(request('BYE', second, 2), port);
    await peer.waitFor(response(second, 200, 'BYE'));
    expect(heard).toBe(true);
    await expect(other.ended).resolves.toEqual({ reason: 'remote-bye' });
    expect(agent.activeCalls).toBe(0);
  });

  it('answers what needs no app: OPTIONS 200, BYE outside a dialog 481, REGISTER 405', async () => {
    await start();
    const leg = newLeg();
    await peer.send(request('OPTIONS', leg, 1), port);
    const ok = await peer.waitFor(response(leg, 200, 'OPTIONS'));
    expect(ok.headers.get('Allow')).toContain('INVITE');
    await peer.send(request('BYE', { ...leg, toTag: 'nosuch' }, 2), port);
    await peer.waitFor(response(leg, 481, 'BYE'));
    await peer.send(request('REGISTER', leg, 3), port);
    await peer.waitFor(response(leg, 405, 'REGISTER'));
  });

  it('refuses INVITEs from outside the allow-list with 403', async () => {
    await start({ allow: ['10.0.0.0/8'] });
    const leg = newLeg();
    await peer.send(request('INVITE', leg, 1, { body: SDP }), port);
    await peer.waitFor(response(leg, 403, 'INVITE'));
    expect(calls).toHaveLength(0);
  });

  it('rejects with 500 when the app throws, and lets the app reject with its own status', async () => {
    await start({}, (call) => {
      if (call.callId.endsWith('boom')) throw new Error('app failure');
      call.reject(603, { reason: 'Decline', headers: [{ name: 'Reason', value: 'Q.850;cause=21' }] });
    });
    const boom = { ...newLeg(), callId: 'x-boom' };
    await peer.send(request('INVITE', boom, 1, { body: SDP }), port);
    await peer.waitFor(response(boom, 500, 'INVITE'));
    const declined = newLeg();
    await peer.send(request('INVITE', declined, 1, { body: SDP }), port);
    const decline = await peer.waitFor(response(declined, 603, 'INVITE'));
    expect(decline.headers.get('Reason')).toBe('Q.850;cause=21');
  });

  it('on abort ends confirmed calls with BYE and waiting ones with 503, then closes', async () => {
    const controller = new AbortController();
    await start({ signal: controller.signal });
    const confirmed = newLeg();
    const call = await establish(confirmed);
    const waiting = newLeg();
    await peer.send(request('INVITE', waiting, 1, { body: SDP }), port);
    await until(() => calls.length === 2);
    controller.abort();
    await peer.waitFor(incoming(confirmed, 'BYE'));
    await peer.waitFor(response(waiting, 503, 'INVITE'));
    await expect(call.ended).resolves.toEqual({ reason: 'agent-closed' });
    await agent.close();
    expect(agent.activeCalls).toBe(0);
  });
});

describe('SIP agent over TCP', () => {
  it('answers on the same connection, and answers a broken frame with 400 before closing it', async () => {
    await start({ transports: [{ protocol: 'tcp', host: '127.0.0.1', port: 0 }] });
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const head = (method: string, callId: string): string =>
      [`${method} sip:bank@127.0.0.1 SIP/2.0`, 'Via: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKtcp' + callId, 'From: <sip:c@127.0.0.1>;tag=1', 'To: <sip:bank@127.0.0.1>', `Call-ID: ${callId}`, `CSeq: 1 ${method}`].join('\r\n');
    socket.write(`${head('OPTIONS', 'tcp-ok')}\r\nContent-Length: 0\r\n\r\n`);
    await until(() => received.includes('Call-ID: tcp-ok'));
    expect(received.startsWith('SIP/2.0 200 OK')).toBe(true);
    socket.write(`${head('INVITE', 'tcp-bad')}\r\nContent-Length: -999\r\n\r\nv=0`);
    await closed;
    expect(received).toMatch(/SIP\/2\.0 400 Bad Request[^]*Call-ID: tcp-bad/);
  });
});
