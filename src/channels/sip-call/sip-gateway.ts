import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import type { CodecName } from '../../voice/codecs/codec.ts';
import type { VadEvent } from '../../voice/barge-in/energy-vad.ts';
import { systemClock, type Clock } from '../../voice/clock.ts';
import { openMediaSessionFromOffer, openMediaSessionWithOffer } from '../../voice/media-session.ts';
import { RtpPortAllocator } from '../../voice/rtp/port-allocator.ts';
import type { IncomingCall } from '../sip/incoming-call.ts';
import { createSipAgent, type SipAgent } from '../sip/sip-agent.ts';
import { CallRegistry } from './call-registry.ts';
import { CallSession, type BridgeLeg, type CallRoute, type CallServices, type Dialer } from './call-session.ts';
import { SandboxLine, type SandboxOptions } from './sandbox-line.ts';
import { sessionValuesOf } from './session-values.ts';

/**
 * The SIP voice gateway: Parley answering phone calls itself. The request URI's user picks the bot
 * (`sip:bank@host` reaches the bot `bank`; configured numbers map to bots; the sandbox number asks for a
 * bot's PIN), media is negotiated from the caller's offer (wideband first, for speech recognition), and a
 * `CallSession` runs the conversation on the call. `stop` refuses new calls (503) and waits for the calls
 * in progress to end, then hangs up what is left and closes.
 */

export interface SipGatewayOptions extends Omit<CallServices, 'clock' | 'bots' | 'dial' | 'referSupported'> {
  bots: CallServices['bots'] & { has(id: string): boolean; list(): Array<{ id: string }> };
  sip: {
    host: string;
    /** UDP and TCP; 0 asks for ephemeral ports. */
    port: number;
    /** Host written in Via and Contact (and RTP's SDP) when the bound address is not reachable. */
    advertisedHost?: string;
    /** Source addresses or CIDR ranges allowed to call; default everyone. */
    allow?: readonly string[];
    maxCalls?: number;
  };
  rtp?: { minPort?: number; maxPort?: number; codecs?: readonly CodecName[] };
  /** Called numbers (or users) that reach a bot whose id differs. */
  numbers?: Readonly<Record<string, string>>;
  sandbox?: Omit<SandboxOptions, 'botIds'>;
  clock?: Clock;
  logger: Logger;
}

export interface SipGateway {
  readonly bindings: SipAgent['bindings'];
  readonly calls: CallRegistry;
  readonly sandbox: SandboxLine | undefined;
  /** Refuse new calls, wait up to `timeoutMs` for the calls in progress, then hang up the rest and close. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Wideband first: speech recognition needs 16 kHz (G.722, L16); G.711 for everyone else. */
export const GATEWAY_CODECS: readonly CodecName[] = ['G722', 'L16', 'PCMU', 'PCMA'];

export async function createSipGateway(options: SipGatewayOptions): Promise<SipGateway> {
  const clock = options.clock ?? systemClock;
  const calls = new CallRegistry();
  const ports = new RtpPortAllocator({ minPort: options.rtp?.minPort ?? 10000, maxPort: options.rtp?.maxPort ?? 20000 });
  const sandbox = options.sandbox ? new SandboxLine({ ...options.sandbox, botIds: () => options.bots.list().map((b) => b.id) }) : undefined;
  const running = new Set<Promise<void>>();
  let draining = false;
  const advertised = options.sip.advertisedHost ?? advertisedHostFor(options.sip.host);

  const route = (user: string | undefined): CallRoute | undefined => {
    if (user === undefined) return undefined;
    if (sandbox && user === sandbox.number) return { kind: 'sandbox', line: sandbox };
    const mapped = options.numbers?.[user];
    if (mapped && options.bots.has(mapped)) return { kind: 'bot', botId: mapped };
    if (options.bots.has(user)) return { kind: 'bot', botId: user };
    return undefined;
  };

  const handle = async (call: IncomingCall): Promise<void> => {
    if (draining) return call.reject(503, { headers: [{ name: 'Retry-After', value: '30' }] });
    const target = route(call.calledUser);
    if (!target) return call.reject(404, { reason: 'No Such Bot' });
    if (!call.offer) return call.reject(488, { reason: 'An SDP Offer Is Required' });
    if (target.kind === 'sandbox' && !target.line.enter()) return call.reject(486);
    const id = randomUUID();
    const values = sessionValuesOf(call);
    let session: CallSession | undefined;
    try {
      const opened = await openMediaSessionFromOffer(call.offer, {
        localAddress: options.sip.host,
        advertisedAddress: advertised,
        ports,
        codecs: options.rtp?.codecs ?? GATEWAY_CODECS,
        clock,
        bargeIn: { onSpeech: (event: VadEvent) => session?.onSpeech(event) },
        onSocketError: (err) => options.logger.warn({ err, callId: call.callId }, 'RTP socket error'),
      });
      if (!opened.ok) {
        options.logger.info({ callId: call.callId, reason: opened.reason }, 'SIP call refused: no common media');
        if (call.state === 'offered' || call.state === 'early') call.reject(488);
        return;
      }
      const media = opened.session;
      calls.add(
        { id, sipCallId: call.callId, sandbox: target.kind === 'sandbox', from: values.from, to: values.to, state: 'answering', startedAt: new Date().toISOString(), ...(target.kind === 'bot' ? { botId: target.botId } : {}) },
        () => media.stats(),
      );
      call.onReinvite(({ sdp }) => {
        if (sdp === undefined) return undefined;
        const answer = media.answer(sdp);
        return answer.ok ? answer.sdp : undefined;
      });
      if (call.state !== 'offered' && call.state !== 'early') {
        await media.close('cancelled');
        calls.end(id, { endReason: 'cancelled' });
        return;
      }
      if (!(await call.answer(opened.answerSdp))) {
        await media.close('not-answered');
        calls.end(id, { endReason: 'caller-hangup' });
        return;
      }
      calls.update(id, { state: 'active' });
      // A caller whose INVITE lists its methods without REFER is bridged rather than transferred.
      const allow = call.request.headers.values('Allow').map((m) => m.trim().toUpperCase());
      const referSupported = allow.length === 0 || allow.includes('REFER');
      const dial: Dialer = (to, headers, signal) => dialBridgeLeg(to, headers, signal, media.media.codec.name);
      session = new CallSession(call, media, target, values, { ...options, clock, dial, referSupported }, (change) => calls.update(id, change));
      await session.run();
      calls.end(id, { endReason: session.endReason ?? 'ended' });
    } finally {
      if (target.kind === 'sandbox') target.line.leave();
      calls.end(id, { endReason: 'error' });
    }
  };

  /** The second leg of a bridge: a call to the target with our offer (the caller's codec first, so no transcoding). */
  const dialBridgeLeg = async (to: string, headers: Record<string, string>, signal: AbortSignal, codec: CodecName): Promise<BridgeLeg | string> => {
    const { session: pending, offerSdp } = await openMediaSessionWithOffer({
      localAddress: options.sip.host,
      advertisedAddress: advertised,
      ports,
      codecs: [codec, ...(options.rtp?.codecs ?? GATEWAY_CODECS).filter((c) => c !== codec)],
      clock,
      bargeIn: false,
    });
    const placed = await agent.call(to, { sdp: offerSdp, headers: Object.entries(headers).map(([name, value]) => ({ name, value })), timeoutMs: 30_000, signal });
    if (!placed.ok) {
      await pending.cancel();
      return String(placed.status);
    }
    const applied = placed.answerSdp ? await pending.applyAnswer(placed.answerSdp) : undefined;
    if (!applied?.ok) {
      if (!applied) await pending.cancel();
      await placed.call.bye();
      return 'no common media';
    }
    return { media: applied.session, ended: placed.call.ended, hangUp: () => placed.call.bye() };
  };

  const open = (port: number): Promise<SipAgent> =>
    createSipAgent({
      transports: [
        { protocol: 'udp', host: options.sip.host, port },
        { protocol: 'tcp', host: options.sip.host, port },
      ],
      advertisedHost: advertised,
      ...(options.sip.allow ? { allow: options.sip.allow } : {}),
      ...(options.sip.maxCalls ? { maxCalls: options.sip.maxCalls } : {}),
      onInvite(call) {
        const task = handle(call).catch((err: unknown) => {
          options.logger.error({ err, callId: call.callId }, 'SIP call failed');
          if (call.state === 'offered' || call.state === 'early') call.reject(500);
          else void call.bye().catch(() => undefined);
        });
        running.add(task);
        void task.finally(() => running.delete(task));
        return task;
      },
    });
  const agent = options.sip.port === 0 ? await openOnOnePort(options.sip.host, open) : await open(options.sip.port);

  return {
    get bindings() {
      return agent.bindings;
    },
    calls,
    sandbox,
    async stop(timeoutMs = 30_000) {
      draining = true;
      if (running.size > 0) {
        options.logger.info({ calls: running.size, timeoutMs }, 'SIP gateway draining: waiting for calls in progress');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...running]), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      await agent.close();
      await Promise.allSettled([...running]);
    },
  };
}

/** Port 0: one ephemeral port for both UDP and TCP (a free UDP port, tried for TCP too; again if taken). */
async function openOnOnePort(host: string, open: (port: number) => Promise<SipAgent>): Promise<SipAgent> {
  for (let attempt = 0; ; attempt++) {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const port = await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve(socket.address().port));
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    try {
      return await open(port);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt >= 4) throw err;
    }
  }
}

/** The address callers reach us at when listening on every interface: the first external IPv4, else loopback. */
export function advertisedHostFor(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host;
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  }
  return '127.0.0.1';
}
