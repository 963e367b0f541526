/**
 * RFC 4475: every torture message, byte-exact, sent over UDP to a real agent on 127.0.0.1, with the
 * outcome the RFC gives for a UAS (see /work/shared/sip-torture/README.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUdpPeer } from '../../../test/sip/udp-peer.ts';
import type { UdpPeer } from '../../../test/sip/udp-peer.ts';
import type { IncomingCall } from './incoming-call.ts';
import type { SipMessage } from './message.ts';
import type { SipAgent } from './sip-agent.ts';
import { createSipAgent } from './sip-agent.ts';
import type { SipStackEvent } from './sip-stack.ts';

const DIR = '/work/shared/sip-torture';

type Outcome =
  | { kind: 'status'; status: number }
  /** An INVITE handed to the application, which declines it with 486. */
  | { kind: 'invite' }
  /** A valid response that matches no transaction. */
  | { kind: 'stray' }
  /** Dropped without an answer; `reason` says why. */
  | { kind: 'dropped'; reason: RegExp };

const status = (code: number): Outcome => ({ kind: 'status', status: code });
const invite: Outcome = { kind: 'invite' };
const stray: Outcome = { kind: 'stray' };
const dropped = (reason: RegExp): Outcome => ({ kind: 'dropped', reason });

const EXPECTED: Record<string, Outcome> = {
  // §3.1.1 valid messages. REGISTER and MESSAGE are known methods this UAS does not serve: 405.
  // wsinv carries a To tag: a re-INVITE for a dialog that does not exist here, 481 (RFC 3261 §12.2.2).
  wsinv: status(481),
  intmeth: status(501),
  esc01: invite,
  escnull: status(405),
  esc02: status(501),
  lwsdisp: status(200),
  longreq: invite,
  dblreq: status(405),
  semiuri: status(200),
  transports: status(200),
  mpart01: status(405),
  unreason: stray,
  noreason: stray,
  // §3.1.2 invalid messages
  badinv01: status(400),
  clerr: status(400),
  ncl: status(400),
  scalar02: status(400),
  scalarlg: dropped(/CSeq/),
  quotbal: status(400),
  ltgtruri: status(400),
  lwsruri: status(400),
  lwsstart: status(400),
  trws: status(400),
  escruri: status(400),
  baddate: status(400),
  regbadct: status(400),
  badaspec: status(400),
  baddn: status(400),
  badvers: status(505),
  mismatch01: status(400),
  mismatch02: status(400),
  bigcode: dropped(/status line/),
  // §3.2 transaction layer
  badbranch: status(200),
  // §3.3 application layer
  insuf: status(400),
  unkscm: status(416),
  novelsc: status(416),
  unksm2: status(405),
  bext01: status(420),
  invut: status(415),
  regaut01: status(405),
  multi01: status(400),
  mcl01: status(400),
  bcast: dropped(/more than one Via/),
  zeromf: status(200),
  cparam01: status(405),
  cparam02: status(405),
  regescrt: status(405),
  sdp01: status(406),
  // §3.4 backward compatibility
  inv2543: invite,
};

/** The Call-ID as written in the file (first one), or the CSeq when there is none (insuf). */
function identify(raw: string): { header: 'Call-ID' | 'CSeq'; value: string } {
  const callId = /^(?:Call-ID|i)[ \t]*:[ \t]*(.*?)\r$/im.exec(raw);
  if (callId) return { header: 'Call-ID', value: callId[1]!.trim() };
  return { header: 'CSeq', value: /^CSeq:[ \t]*(.*?)\r$/im.exec(raw)![1]!.trim() };
}

describe('RFC 4475 torture messages against the UAS over UDP', () => {
  let agent: SipAgent;
  let peer: UdpPeer;
  let agentPort: number;
  const invites: IncomingCall[] = [];
  const events: SipStackEvent[] = [];

  beforeAll(async () => {
    agent = await createSipAgent({
      transports: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }],
      // The messages' Via name hosts that do not exist: answer the packet source instead.
      forceRport: true,
      onEvent: (event) => events.push(event),
      onInvite(call) {
        invites.push(call);
        call.reject(486);
      },
    });
    agentPort = agent.bindings[0]!.port;
    peer = await createUdpPeer();
  });

  afterAll(async () => {
    await agent.close();
    await peer.close();
  });

  const files = readdirSync(DIR).filter((f) => f.endsWith('.dat'));

  it('has an expected outcome for each of the 49 files', () => {
    expect(files.map((f) => f.replace(/\.dat$/, '')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    const name = file.replace(/\.dat$/, '');
    const expected = EXPECTED[name]!;
    it(`${name}: ${expected.kind === 'status' ? expected.status : expected.kind}`, async () => {
      const bytes = readFileSync(`${DIR}/${file}`);
      const id = identify(bytes.toString('latin1'));
      const isAnswer = (m: SipMessage): boolean => m.kind === 'response' && m.status >= 200 && m.headers.get(id.header) === id.value;
      const eventsBefore = events.length;
      const invitesBefore = invites.length;
      await peer.send(bytes, agentPort);

      if (expected.kind === 'status' || expected.kind === 'invite') {
        const answer = await peer.waitFor(isAnswer);
        if (answer.kind !== 'response') throw new Error('not a response');
        expect(answer.status).toBe(expected.kind === 'invite' ? 486 : expected.status);
        if (answer.headers.has('To')) expect(answer.headers.get('To')).toMatch(/;[ \t]*tag[ \t]*=[ \t]*\S/);
        else expect(name).toBe('insuf');
        expect(invites.length - invitesBefore).toBe(expected.kind === 'invite' ? 1 : 0);
        if (expected.kind === 'invite') expect(invites.at(-1)!.callId).toBe(id.value);
        return;
      }
      // Nothing may answer a response, or a message too broken to answer.
      const event = await new Promise<SipStackEvent>((resolve, reject) => {
        const started = Date.now();
        const poll = (): void => {
          const found = events.slice(eventsBefore)[0];
          if (found) resolve(found);
          else if (Date.now() - started > 2_000) reject(new Error('no event'));
          else setTimeout(poll, 5);
        };
        poll();
      });
      if (expected.kind === 'stray') expect(event.type).toBe('strayResponse');
      else {
        expect(event.type).toBe('dropped');
        expect(event.type === 'dropped' && event.reason).toMatch(expected.reason);
      }
      expect(await peer.quiet(isAnswer, 100)).toBe(true);
    });
  }

  it('dblreq: the INVITE after the REGISTER in the same datagram is ignored', async () => {
    expect(await peer.quiet((m) => m.headers.get('Call-ID') === 'dblreq.0ha0isnda977644900765@192.0.2.15', 200)).toBe(true);
    expect(invites.some((call) => call.callId.startsWith('dblreq'))).toBe(false);
  });

  it('bext01: 420 lists both unsupported extensions', async () => {
    const answer = await peer.waitFor((m) => m.headers.get('Call-ID') === 'bext01.0ha0isndaksdj' && m.kind === 'response');
    expect(answer.headers.values('Unsupported')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
  });

  it('invut: 415 says which body type is accepted', async () => {
    const invut = await peer.waitFor((m) => m.headers.get('Call-ID') === 'invut.0ha0isndaksdjadsfij34n23d' && m.kind === 'response' && m.status === 415);
    expect(invut.headers.get('Accept')).toBe('application/sdp');
  });

  it('parsed the escaped, folded and unusual valid INVITEs as the RFC reads them', () => {
    const byCallId = (prefix: string): IncomingCall => invites.find((call) => call.callId.startsWith(prefix))!;
    expect(byCallId('esc01').calledUser).toBe('sips:user@example.com');
    expect(byCallId('esc01').request.headers.get('Contact')).toBe('<sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>');
    expect(byCallId('inv2543').offer).toContain('m=audio 49217 RTP/AVP 0');
    expect(byCallId('longreq').request.headers.values('Via')).toHaveLength(34);
  });

  it('is still serving after all of them', async () => {
    const options = [
      'OPTIONS sip:bank@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-after-torture',
      'Max-Forwards: 70',
      'From: <sip:probe@127.0.0.1>;tag=1',
      'To: <sip:bank@127.0.0.1>',
      'Call-ID: after-torture',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await peer.send(options, agentPort);
    const answer = await peer.waitFor((m) => m.headers.get('Call-ID') === 'after-torture');
    expect(answer.kind === 'response' && answer.status).toBe(200);
    expect(agent.activeCalls).toBe(0);
  });
});
