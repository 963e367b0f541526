/**
 * The SIP user agent Parley answers phone calls with: the only entry point the call layer needs.
 *
 *   const agent = await createSipAgent({
 *     transports: [{ protocol: 'udp', port: 5060 }, { protocol: 'tcp', port: 5060 }],
 *     allow: ['192.0.2.0/24'],                        // optional: INVITE sources allowed (CIDR)
 *     auth: { realm: 'parley', password: (user) => … }, // optional: digest-challenge INVITEs
 *     onInvite(call) {                                 // an IncomingCall, see incoming-call.ts
 *       call.ringing();
 *       if (!(await call.answer(sdpAnswer))) return;   // true once the caller ACKs
 *       call.onBye(() => …); call.onInfo((info) => …); call.onReinvite(({ sdp }) => answerSdp);
 *       for await (const event of call.refer('sip:agent@cc.example.com')) …; // REFER progress
 *       await call.bye();
 *     },
 *   });
 *   const placed = await agent.call('sip:agent@cc.example.com', { sdp: offer }); // outgoing call (a bridge leg)
 *   if (placed.ok) { placed.answerSdp; placed.call.onBye(() => …); await placed.call.bye(); }
 *   agent.bindings;  // bound ports (0 asks for an ephemeral one)
 *   await agent.close();  // or abort `signal`
 *
 * The agent answers by itself what needs no application: OPTIONS (200), requests outside any dialog
 * (481), CANCEL (200, then 487 to the INVITE), and every rejection RFC 3261 asks of a UAS (400, 403,
 * 401, 405, 406, 415, 416, 420, 481, 501, 503, 505). It never logs caller numbers or bodies.
 */
import type { AddressCheck } from './address-allow-list.ts';
import { createAddressAllowList } from './address-allow-list.ts';
import type { DigestAuthOptions } from './digest-auth.ts';
import { DigestAuthenticator } from './digest-auth.ts';
import { dialogKey, dialogKeyOfRequest } from './dialog.ts';
import type { CallContext } from './call-types.ts';
import { IncomingCall } from './incoming-call.ts';
import type { OutgoingCall, OutgoingCallOptions, OutgoingCallResult } from './outgoing-call.ts';
import { placeCall } from './outgoing-call.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { parseNameAddr, tagOf } from './name-addr.ts';
import type { Rejection } from './request-validator.ts';
import { buildResponse } from './response-builder.ts';
import { parseCSeq } from './scalar-headers.ts';
import type { ServerTransaction } from './server-transactions.ts';
import { InviteServerTransaction } from './server-transactions.ts';
import type { SipLogger } from './sip-logger.ts';
import { silentLogger } from './sip-logger.ts';
import type { SipStackOptions } from './sip-stack.ts';
import { SipStack, newTag } from './sip-stack.ts';
import { toTagOf } from './transaction-key.ts';
import type { TransactionUser } from './transaction-layer.ts';
import type { Flow } from './transport.ts';
import type { UasPolicy } from './uas-validator.ts';
import { DEFAULT_UAS_POLICY, checkUasRequest } from './uas-validator.ts';

export interface SipAgentOptions extends Omit<SipStackOptions, 'transports'> {
  /** Listeners; default UDP and TCP on 0.0.0.0:5060. */
  transports?: SipStackOptions['transports'];
  /** Source addresses and CIDR ranges allowed to place calls; default everyone. */
  allow?: readonly string[];
  /** Challenge INVITEs with digest authentication. */
  auth?: DigestAuthOptions;
  /** Overrides of what the UAS accepts (methods, URI schemes, extensions, body types). */
  policy?: Partial<UasPolicy>;
  /** Most calls at once; more get 503. Default 1000. */
  maxCalls?: number;
  /** An offered call neither answered nor rejected after this long gets 480; default 3 minutes. */
  offerTimeoutMs?: number;
  /** Server and User-Agent header value; default `Parley`. */
  serverName?: string;
  signal?: AbortSignal;
  /** A new call. It stays offered until the handler rings, answers or rejects it. */
  onInvite(call: IncomingCall): void | Promise<void>;
}

export interface SipAgent {
  readonly bindings: SipStack['bindings'];
  /** Calls not yet ended. */
  readonly activeCalls: number;
  /** Places a call (INVITE with our offer); resolves once it is answered or has failed. */
  call(target: string, options: OutgoingCallOptions): Promise<OutgoingCallResult>;
  close(): Promise<void>;
}

export async function createSipAgent(options: SipAgentOptions): Promise<SipAgent> {
  const allow = options.allow ? createAddressAllowList(options.allow) : undefined;
  const core = new UasCore(options, allow);
  const stack = await SipStack.open({ ...options, transports: options.transports ?? [{ protocol: 'udp' }, { protocol: 'tcp' }] }, core);
  core.attach(stack);
  const close = (): Promise<void> => core.close();
  if (options.signal?.aborted) await close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    get bindings() {
      return stack.bindings;
    },
    get activeCalls() {
      return core.activeCalls;
    },
    call: (target, callOptions) => core.call(target, callOptions),
    close,
  };
}

class UasCore implements TransactionUser {
  private stack: SipStack | undefined;
  private readonly calls = new Map<string, IncomingCall>();
  private readonly outgoing = new Map<string, OutgoingCall>();
  private readonly byInvite = new Map<ServerTransaction, IncomingCall>();
  private readonly policy: UasPolicy;
  private readonly auth: DigestAuthenticator | undefined;
  private readonly logger: SipLogger;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: SipAgentOptions,
    private readonly allow: AddressCheck | undefined,
  ) {
    this.policy = { ...DEFAULT_UAS_POLICY, ...options.policy };
    this.auth = options.auth ? new DigestAuthenticator(options.auth) : undefined;
    this.logger = options.logger ?? silentLogger;
  }

  attach(stack: SipStack): void {
    this.stack = stack;
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  private context(stack: SipStack): CallContext {
    return {
      stack,
      clock: stack.clock,
      timers: stack.timers,
      policy: this.policy,
      forceRport: this.options.forceRport ?? false,
      offerTimeoutMs: this.options.offerTimeoutMs ?? 180_000,
      serverName: this.options.serverName ?? 'Parley',
      logger: this.logger,
      onEnded: (call) => {
        this.calls.delete(call.dialogKey);
        for (const [transaction, known] of this.byInvite) if (known === call) this.byInvite.delete(transaction);
      },
    };
  }

  onRequest(request: SipRequest, transaction: ServerTransaction, flow: Flow): void {
    const reply = (status: number, headers: Rejection['headers'] = []): void =>
      transaction.respond(buildResponse(request, status, { toTag: newTag(), headers }));
    if (this.closing || !this.stack) return reply(503);
    if (request.method === 'CANCEL') return this.cancel(request, reply);
    if (toTagOf(request) !== '') {
      const key = dialogKeyOfRequest(request);
      const call = this.calls.get(key) ?? this.outgoing.get(key);
      return call ? call.handleRequest(request, transaction) : reply(481);
    }
    const rejection = checkUasRequest(request, this.policy);
    if (rejection) return reply(rejection.status, rejection.headers);
    if (request.method === 'OPTIONS') {
      return reply(200, [
        { name: 'Allow', value: this.policy.allowedMethods.join(', ') },
        { name: 'Accept', value: 'application/sdp' },
        { name: 'Server', value: this.options.serverName ?? 'Parley' },
      ]);
    }
    if (request.method !== 'INVITE' || !(transaction instanceof InviteServerTransaction)) return reply(request.method === 'REFER' ? 403 : 481);
    if (this.isMerged(request)) return reply(482);
    this.invite(request, transaction, flow, this.stack, reply).catch((error: unknown) => {
      this.logger.error({ err: error }, 'SIP INVITE handling failed');
      if (transaction.state === 'proceeding') reply(500);
    });
  }

  private async invite(request: SipRequest, transaction: InviteServerTransaction, flow: Flow, stack: SipStack, reply: (status: number, headers?: Rejection['headers']) => void): Promise<void> {
    if (this.calls.size >= (this.options.maxCalls ?? 1000)) return reply(503, [{ name: 'Retry-After', value: '10' }]);
    if (this.allow && !this.allow(flow.remote.address)) return reply(403);
    if (this.auth) {
      const verdict = await this.auth.verify('INVITE', request.uri, request.headers.getAll('Authorization'));
      if (!verdict.ok) {
        this.logger.debug({ reason: verdict.reason }, 'SIP INVITE not authenticated');
        return reply(401, this.auth.challenges(verdict.stale).map((value) => ({ name: 'WWW-Authenticate', value })));
      }
    }
    if (transaction.state !== 'proceeding' || this.closing) return;
    const call = new IncomingCall(transaction, flow, newTag(), this.context(stack));
    this.calls.set(call.dialogKey, call);
    this.byInvite.set(transaction, call);
    this.logger.info({ callId: call.callId, transport: flow.protocol }, 'SIP call offered');
    try {
      await this.options.onInvite(call);
    } catch (error) {
      this.logger.error({ err: error, callId: call.callId }, 'SIP onInvite failed');
      if (call.state === 'offered' || call.state === 'early') call.reject(500);
    }
  }

  /** §8.2.2.2: the same INVITE (Call-ID, From tag, CSeq) reaching us again by another path. */
  private isMerged(request: SipRequest): boolean {
    const callId = request.headers.get('Call-ID');
    const fromTag = tagOf(parseNameAddr(request.headers.get('From') ?? ''));
    const seq = parseCSeq(request.headers.get('CSeq') ?? '')?.seq;
    for (const call of this.calls.values()) {
      if (call.callId === callId && tagOf(call.from) === fromTag && parseCSeq(call.request.headers.get('CSeq')!)?.seq === seq) return true;
    }
    return false;
  }

  private cancel(request: SipRequest, reply: (status: number) => void): void {
    const invite = this.stack?.transactions.inviteFor(request);
    if (!invite) return reply(481);
    reply(200);
    const call = this.byInvite.get(invite);
    if (call) call.handleCancel();
    else if (!invite.finalSent) invite.respond(buildResponse(invite.request, 487, { toTag: newTag() }));
  }

  onAck(request: SipRequest): void {
    this.calls.get(dialogKeyOfRequest(request))?.handleAck(request);
  }

  onStrayResponse(response: SipResponse, flow: Flow): void {
    const cseq = parseCSeq(response.headers.get('CSeq') ?? '');
    if (cseq?.method === 'INVITE' && response.status >= 200 && response.status < 300) {
      // We are the UAC of this request: From carries our tag, To the peer's.
      const local = tagOf(parseNameAddr(response.headers.get('From') ?? '')) ?? '';
      const key = dialogKey(response.headers.get('Call-ID') ?? '', local, toTagOf(response));
      const call = this.calls.get(key) ?? this.outgoing.get(key);
      if (call) return call.handleStray2xx(response);
    }
    this.options.onEvent?.({ type: 'strayResponse', status: response.status, remote: flow.remote });
  }

  call(target: string, options: OutgoingCallOptions): Promise<OutgoingCallResult> {
    const stack = this.stack;
    if (this.closing || !stack) return Promise.resolve({ ok: false, status: 503, reason: 'Service Unavailable' });
    return placeCall(
      {
        stack,
        serverName: this.options.serverName ?? 'Parley',
        logger: this.logger,
        register: (call) => this.outgoing.set(call.dialogKey, call),
        unregister: (call) => this.outgoing.delete(call.dialogKey),
      },
      target,
      options,
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.calls.values(), ...this.outgoing.values()].map((call) => call.shutdown()));
      await this.stack?.close();
    })();
    return this.closing;
  }
}
