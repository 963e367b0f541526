/**
 * A call Parley places (the UAC side: the second leg of a bridge to an agent). `placeCall` sends the
 * INVITE in a client transaction, ACKs the 2xx itself (again when it is retransmitted), cancels an INVITE
 * that is not answered in time or whose signal aborts, and resolves with the answered call or the final
 * failure status. The answered call takes the peer's BYE, INFO and OPTIONS, refuses re-INVITEs (488), and
 * hangs up with `bye`. Signalling only, like IncomingCall: SDP is opaque text.
 */
import { randomBytes } from 'node:crypto';
import { ParleyError } from '../../errors.ts';
import type { CallEnd, CallEndReason, InfoEvent } from './call-types.ts';
import type { ClientTransactionUser } from './client-transactions.ts';
import { Dialog } from './dialog.ts';
import { DialogUsage } from './dialog-usage.ts';
import type { HeaderField, SipRequest, SipResponse } from './message.ts';
import { createRequest } from './message.ts';
import { buildResponse } from './response-builder.ts';
import type { ServerTransaction } from './server-transactions.ts';
import type { Destination, SipStack } from './sip-stack.ts';
import { newTag } from './sip-stack.ts';
import type { SipLogger } from './sip-logger.ts';
import { formatUri, isSipUri, parseUri, type SipUri } from './uri.ts';

export interface OutgoingCallOptions {
  /** Our SDP offer. */
  sdp: string;
  /** Extra headers on the INVITE (`X-Session-History-Key`, `User-to-User`…). */
  headers?: HeaderField[];
  /** The user part of our From and Contact; default `parley`. */
  fromUser?: string;
  fromDisplayName?: string;
  /** Give up (CANCEL) without an answer after this long; default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type OutgoingCallResult =
  | { ok: true; call: OutgoingCall; answerSdp: string | undefined }
  | { ok: false; status: number; reason: string };

export interface OutgoingCallContext {
  stack: SipStack;
  serverName: string;
  logger: SipLogger;
  /** The answered call's dialog is known to the agent from here on (for the peer's in-dialog requests). */
  register(call: OutgoingCall): void;
  unregister(call: OutgoingCall): void;
}

const SDP = 'application/sdp';

export async function placeCall(ctx: OutgoingCallContext, target: string, options: OutgoingCallOptions): Promise<OutgoingCallResult> {
  const parsed = parseUri(target.startsWith('<') && target.endsWith('>') ? target.slice(1, -1) : target);
  if (!isSipUri(parsed)) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `"${target}" is not a SIP URI to call`);
  // Header components of the target URI become headers of the INVITE (RFC 3261 §19.1.5).
  const uriHeaders: HeaderField[] = [...parsed.headers].map(([name, value]) => ({ name, value }));
  const requestUri: SipUri = { ...parsed, headers: new Map() };
  let destination: Destination;
  try {
    destination = await ctx.stack.resolve(requestUri);
  } catch {
    return { ok: false, status: 503, reason: 'Destination Unreachable' };
  }
  const { address, port } = ctx.stack.contactAddress(destination.protocol);
  const host = address.includes(':') ? `[${address}]` : address;
  const user = encodeURIComponent(options.fromUser ?? 'parley');
  const transport = destination.protocol === 'tcp' ? ';transport=tcp' : '';
  const contact = `<sip:${user}@${host}:${port}${transport}>`;
  const display = options.fromDisplayName ? `"${options.fromDisplayName.replace(/["\\]/g, '')}" ` : '';
  const invite = createRequest(
    'INVITE',
    formatUri(requestUri),
    [
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `${display}<sip:${user}@${host}>;tag=${newTag()}` },
      { name: 'To', value: `<${formatUri(requestUri)}>` },
      { name: 'Call-ID', value: `${randomBytes(12).toString('hex')}@${address}` },
      { name: 'CSeq', value: '1 INVITE' },
      { name: 'Contact', value: contact },
      { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO' },
      { name: 'User-Agent', value: ctx.serverName },
      ...uriHeaders,
      ...(options.headers ?? []),
      { name: 'Content-Type', value: SDP },
    ],
    options.sdp,
  );

  return new Promise<OutgoingCallResult>((resolve) => {
    let call: OutgoingCall | undefined;
    let settled = false;
    let cancelled = false;
    const settle = (result: OutgoingCallResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      resolve(result);
    };
    const cancel = (): void => {
      if (settled || cancelled) return;
      cancelled = true;
      sendCancel(ctx.stack, invite, destination);
    };
    const timer = setTimeout(cancel, options.timeoutMs ?? 60_000);
    if (options.signal?.aborted) queueMicrotask(cancel);
    else options.signal?.addEventListener('abort', cancel, { once: true });
    const user: ClientTransactionUser = {
      onResponse(response) {
        if (response.status < 200) return;
        if (response.status >= 300) return settle({ ok: false, status: response.status, reason: response.reason });
        if (call) return call.handleStray2xx(response);
        call = new OutgoingCall(ctx, Dialog.fromResponse(invite, response, contact), destination);
        ctx.register(call);
        call.sendAck();
        if (cancelled || settled) {
          // Answered as we gave up: hang up at once.
          void call.bye();
          return settle({ ok: false, status: 487, reason: 'Request Terminated' });
        }
        settle({ ok: true, call, answerSdp: response.body.length > 0 ? response.body.toString('utf8') : undefined });
      },
      onTimeout: () => settle({ ok: false, status: 408, reason: 'Request Timeout' }),
      onTransportError: () => settle({ ok: false, status: 503, reason: 'Service Unavailable' }),
    };
    ctx.stack.sendRequest(invite, destination, user);
  });
}

/** CANCEL (§9.1): the INVITE's Request-URI, Call-ID, From, To, CSeq number and top Via (same branch). */
function sendCancel(stack: SipStack, invite: SipRequest, destination: Destination): void {
  const headers: HeaderField[] = [];
  const via = invite.headers.values('Via')[0];
  if (via) headers.push({ name: 'Via', value: via });
  for (const name of ['Max-Forwards', 'From', 'To', 'Call-ID']) headers.push({ name, value: invite.headers.get(name) ?? '' });
  headers.push({ name: 'CSeq', value: `${(invite.headers.get('CSeq') ?? '1').split(/\s+/)[0]} CANCEL` });
  for (const route of invite.headers.getAll('Route')) headers.push({ name: 'Route', value: route });
  const cancel = createRequest('CANCEL', invite.uri, headers);
  const send = (m: SipRequest): Promise<void> => stack.sendStateless(m, destination);
  stack.transactions.sendRequest(cancel, destination.protocol === 'tcp', send, { onResponse: () => undefined, onTimeout: () => undefined, onTransportError: () => undefined });
}

export class OutgoingCall {
  readonly callId: string;
  readonly ended: Promise<CallEnd>;
  #state: 'confirmed' | 'ended' = 'confirmed';
  readonly #usage: DialogUsage;
  #ack: SipRequest | undefined;
  #resolveEnded!: (end: CallEnd) => void;
  readonly #byeHandlers = new Set<(request: SipRequest) => void>();
  readonly #infoHandlers = new Set<(info: InfoEvent) => void>();

  constructor(
    private readonly ctx: OutgoingCallContext,
    readonly dialog: Dialog,
    private readonly destination: Destination,
  ) {
    this.callId = dialog.callId;
    const local = ctx.stack.contactAddress(destination.protocol);
    this.#usage = new DialogUsage(dialog, ctx.stack, { protocol: destination.protocol, local, remote: destination.remote }, false);
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
  }

  get state(): 'confirmed' | 'ended' {
    return this.#state;
  }

  get dialogKey(): string {
    return this.dialog.key;
  }

  /** The ACK for the 2xx (§13.2.2.4): a new transaction-less request in the dialog, CSeq of the INVITE. */
  sendAck(): void {
    this.#ack ??= this.dialog.createRequest('ACK', {}, this.dialog.localSeq);
    void this.#usage
      .destination()
      .then((d) => this.ctx.stack.sendStateless(this.#ack!, d))
      .catch(() => undefined);
  }

  /** A retransmitted 2xx to our INVITE: the ACK went missing. */
  handleStray2xx(_response: SipResponse): void {
    if (this.#ack) this.sendAck();
  }

  onBye(handler: (request: SipRequest) => void): () => void {
    this.#byeHandlers.add(handler);
    return () => this.#byeHandlers.delete(handler);
  }

  onInfo(handler: (info: InfoEvent) => void): () => void {
    this.#infoHandlers.add(handler);
    return () => this.#infoHandlers.delete(handler);
  }

  /** Hangs up; resolves when the peer has answered the BYE (or it timed out). */
  async bye(): Promise<void> {
    if (this.#state === 'ended') return;
    this.#finish('local-bye');
    await this.#usage.request('BYE');
  }

  /** A request in this call's dialog. */
  handleRequest(request: SipRequest, transaction: ServerTransaction): void {
    const respond = (status: number, headers: HeaderField[] = []): void => transaction.respond(buildResponse(request, status, { headers }));
    if (this.#state === 'ended') return respond(481);
    if (!this.dialog.acceptRemoteSeq(request)) return respond(500);
    switch (request.method) {
      case 'BYE':
        respond(200);
        for (const h of [...this.#byeHandlers]) h(request);
        return this.#finish('remote-bye');
      case 'INFO':
        respond(200);
        for (const h of [...this.#infoHandlers]) h({ contentType: request.headers.get('Content-Type'), body: request.body, request });
        return;
      case 'OPTIONS':
        return respond(200, [{ name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO' }]);
      case 'INVITE':
        return respond(488);
      default:
        return respond(405, [{ name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO' }]);
    }
  }

  /** The agent is closing: hang up. */
  shutdown(): Promise<void> {
    return this.bye();
  }

  #finish(reason: CallEndReason): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.ctx.unregister(this);
    this.#resolveEnded({ reason });
  }
}
