/**
 * The gateway's front door, with raw SIP from a UDP peer: which calls it takes, which it turns away and
 * how (unknown bot, no offer, sandbox lines busy, stopping), and a graceful stop that waits for the
 * calls in progress.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../bot/load.ts';
import { BotRegistry } from '../../runtime/bot-registry.ts';
import { ConversationService } from '../../runtime/conversation-service.ts';
import { channelHandoff } from '../../runtime/handoff.ts';
import { createHttpServiceCaller } from '../../runtime/service-caller.ts';
import { TtsCache } from '../../speech/tts-cache.ts';
import { openStorage } from '../../storage/open-storage.ts';
import type { Storage } from '../../storage/port.ts';
import type { SipMessage, SipResponse } from '../sip/message.ts';
import { exactPhraseNlu } from '../../../test/support/exact-phrase-nlu.ts';
import { instantTts } from '../../../test/sip-call/fake-call.ts';
import { createUdpPeer, type UdpPeer } from '../../../test/sip/udp-peer.ts';
import { createSipGateway, type SipGateway } from './sip-gateway.ts';

let storage: Storage;
let bots: BotRegistry;
let service: ConversationService;
let gateway: SipGateway | undefined;
let peer: UdpPeer;
let seq = 0;

beforeAll(async () => {
  bots = new BotRegistry(exactPhraseNlu);
  await bots.add(await loadBotFolder(fileURLToPath(new URL('../../../examples/bank', import.meta.url))));
  storage = await openStorage({ url: 'sqlite::memory:' });
  service = new ConversationService({ bots, storage, services: createHttpServiceCaller({ baseUrl: () => 'http://127.0.0.1:9' }), handoff: channelHandoff, logger: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await storage.close();
});

afterEach(async () => {
  await gateway?.stop(0);
  gateway = undefined;
  await peer?.close();
});

async function start(options: { sandboxLines?: number } = {}): Promise<number> {
  gateway = await createSipGateway({
    service,
    bots,
    tts: new TtsCache({ provider: instantTts() }),
    sip: { host: '127.0.0.1', port: 0 },
    numbers: { '+15550123': 'bank' },
    ...(options.sandboxLines ? { sandbox: { number: '5000', maxCalls: options.sandboxLines, secret: 's' } } : {}),
    logger: pino({ level: 'silent' }),
  });
  peer = await createUdpPeer();
  return gateway.bindings.find((b) => b.protocol === 'udp')!.port;
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');

function request(method: string, user: string, callId: string, cseq: number, extra: string[] = [], body = '', toTag = ''): string {
  return [
    `${method} sip:${user}@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-${++seq}`,
    `From: <sip:caller@127.0.0.1:${peer.port}>;tag=caller-${callId}`,
    `To: <sip:${user}@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
    `Contact: <sip:caller@127.0.0.1:${peer.port}>`,
    'Max-Forwards: 70',
    ...extra,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

const finalFor = (callId: string) => (m: SipMessage): m is SipResponse => m.kind === 'response' && m.status >= 200 && m.headers.get('Call-ID') === callId && (m.headers.get('CSeq') ?? '').endsWith('INVITE');

async function dial(port: number, user: string, callId: string, body = SDP): Promise<SipResponse> {
  await peer.send(request('INVITE', user, callId, 1, [], body), port);
  return peer.waitFor(finalFor(callId), 5000);
}

async function confirm(port: number, user: string, callId: string, ok: SipResponse): Promise<string> {
  const toTag = /;tag=([^;>\s]+)/.exec(ok.headers.get('To') ?? '')![1]!;
  await peer.send(request('ACK', user, callId, 1, [], '', toTag), port);
  return toTag;
}

describe('calls at the gateway', () => {
  it('listens on one port for UDP and TCP, and answers a bot by its id or by a configured number, with SDP', async () => {
    const port = await start();
    expect(gateway!.bindings.map((b) => [b.protocol, b.port])).toEqual([
      ['udp', port],
      ['tcp', port],
    ]);
    const byId = await dial(port, 'bank', 'c1');
    expect(byId.status).toBe(200);
    expect(byId.body.toString()).toMatch(/m=audio \d+ RTP\/AVP 0 101/);
    const byNumber = await dial(port, '+15550123', 'c2');
    expect(byNumber.status).toBe(200);
    await confirm(port, 'bank', 'c1', byId);
    await confirm(port, '+15550123', 'c2', byNumber);
    expect(gateway!.calls.active().map((c) => c.botId)).toEqual(['bank', 'bank']);
  });

  it('turns away a call to no bot (404) and one without an SDP offer (488)', async () => {
    const port = await start();
    expect((await dial(port, 'nobody', 'c3')).status).toBe(404);
    expect((await dial(port, 'bank', 'c4', '')).status).toBe(488);
    expect(gateway!.calls.active()).toEqual([]);
  });

  it('gives the sandbox line a limited number of calls: one more is busy (486)', async () => {
    const port = await start({ sandboxLines: 1 });
    const first = await dial(port, '5000', 's1');
    expect(first.status).toBe(200);
    await confirm(port, '5000', 's1', first);
    expect((await dial(port, '5000', 's2')).status).toBe(486);
    expect(gateway!.sandbox?.active).toBe(1);
  });

  it('stops gracefully: new calls get 503 while the calls in progress go on to their end', async () => {
    const port = await start();
    const ok = await dial(port, 'bank', 'g1');
    const toTag = await confirm(port, 'bank', 'g1', ok);
    let stopped = false;
    const stopping = gateway!.stop(10_000).then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect((await dial(port, 'bank', 'g2')).status).toBe(503);
    expect(stopped).toBe(false);
    await peer.send(request('BYE', 'bank', 'g1', 2, [], '', toTag), port);
    await stopping;
    expect(gateway!.calls.recent()[0]).toMatchObject({ sipCallId: 'g1', endReason: 'caller-hangup' });
  });
});
