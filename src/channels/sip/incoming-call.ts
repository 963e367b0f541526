/**
 * One inbound call, from its INVITE to its end: what the call layer answers, rejects, transfers and
 * hangs up, and where it hears about the caller's BYE, INFO, re-INVITE and CANCEL. Signalling only:
 * SDP is opaque text here, media is the voice engine's business.
 *
 * States: offered (INVITE received) → early (ringing sent) → answering (200 sent, waiting for ACK)
 * → confirmed → ended. `ended` resolves once, with the reason.
 */
import { ParleyError } from '../../errors.ts';
import type { CallContext, CallEnd, CallEndReason, CallState, InfoEvent, ReferOptions, ReinviteHandler } from './call-types.ts';
import { retransmitUntilAck } from './answer-retransmitter.ts';
import { Dialog } from './dialog.ts';
import { DialogUsage } from './dialog-usage.ts';
import type { HeaderField, SipRequest, SipResponse } from './message.ts';
import type { NameAddr } from './name-addr.ts';
import { parseNameAddr } from './name-addr.ts';
import { ReferSubscription, ReferSubscriptions } from './refer-subscription.ts';
import { buildResponse } from './response-builder.ts';
import { parseCSeq, parseExpires, parseMediaType } from './scalar-headers.ts';
import type { InviteServerTransaction, ServerTransaction } from './server-transactions.ts';
import type { Flow } from './transport.ts';
import { checkUasRequest } from './uas-validator.ts';
import type { Uri } from './uri.ts';
import { isSipUri, parseUri } from './uri.ts';

const SDP = 'application/sdp';

export class IncomingCall {
  readonly request: SipRequest;
  readonly callId: string;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly requestUri: Uri;
  /** The caller's SDP offer, when the INVITE carried one. */
  readonly offer: string | undefined;
  readonly flow: Flow;
  /** The SDP in the ACK, for a call offered without SDP (the caller's answer to our offer). */
  ackSdp: string | undefined;
  readonly ended: Promise<CallEnd>;

  private current: CallState = 'offered';
  private readonly dialog: Dialog;
  private readonly usage: DialogUsage;
  private resolveEnded!: (end: CallEnd) => void;
  private pendingAck: { seq: number; stop: () => void; onAck: (ack: SipRequest) => void; onEnded: () => void } | undefined;
  private readonly cancelOfferTimer: () => void;
  private answered: Promise<boolean> | undefined;
  private incomingReinvite = false;
  private outgoingReinvite = false;
  private readonly subscriptions = new ReferSubscriptions();
  private readonly byeHandlers = new Set<(request: SipRequest) => void>();
  private readonly cancelHandlers = new Set<() => void>();
  private readonly infoHandlers = new Set<(info: InfoEvent) => void>();
  private reinviteHandler: ReinviteHandler | undefined;

  constructor(
    private readonly invite: InviteServerTransaction,
    flow: Flow,
    readonly localTag: string,
    private readonly ctx: CallContext,
  ) {
    const request = invite.request;
    this.request = request;
    this.flow = flow;
    this.callId = request.headers.get('Call-ID')!;
    this.from = parseNameAddr(request.headers.get('From')!)!;
    this.to = parseNameAddr(request.headers.get('To')!)!;
    this.requestUri = parseUri(request.uri)!;
    const media = parseMediaType(request.headers.get('Content-Type') ?? '');
    this.offer = media && `${media.type}/${media.subtype}` === SDP && request.body.length > 0 ? request.body.toString('utf8') : undefined;
    this.dialog = Dialog.fromInvite(request, localTag, this.contact());
    this.usage = new DialogUsage(this.dialog, ctx.stack, flow, ctx.forceRport);
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    // RFC 3261 §13.3.1: an offer left unanswered expires (Expires, else the agent's limit).
    const expires = parseExpires(request.headers.get('Expires') ?? '');
    const byExpires = expires !== undefined && expires * 1000 <= ctx.offerTimeoutMs;
    this.cancelOfferTimer = ctx.clock.schedule(byExpires ? expires * 1000 : ctx.offerTimeoutMs, () => {
      if (this.current !== 'offered' && this.current !== 'early') return;
      const status = byExpires ? 487 : 480;
      this.invite.respond(buildResponse(this.request, status, { toTag: this.localTag }));
      this.finish({ reason: 'unanswered', status });
    });
  }

  get state(): CallState {
    return this.current;
  }

  get dialogKey(): string {
    return this.dialog.key;
  }

  /** The called user (`bank` of `sip:bank@host`), which picks the bot. */
  get calledUser(): string | undefined {
    const uri = this.requestUri;
    if (isSipUri(uri)) return uri.user;
    return 'number' in uri ? uri.number : undefined;
  }

  private contact(): string {
    const { address, port } = this.ctx.stack.contactAddress(this.flow.protocol);
    const host = address.includes(':') ? `[${address}]` : address;
    const user = isSipUri(this.requestUri) && this.requestUri.user ? `${encodeURIComponent(this.requestUri.user)}@` : '';
    return `<sip:${user}${host}:${port}${this.flow.protocol === 'tcp' ? ';transport=tcp' : ''}>`;
  }

  private assertState(allowed: CallState[], action: string): void {
    if (!allowed.includes(this.current)) {
      throw new ParleyError('PARLEY_ERR_CONFLICT', `cannot ${action} a call that is ${this.current}`);
    }
  }

  private inviteResponse(status: number, body?: string, contentType?: string): SipResponse {
    const headers: HeaderField[] = [];
    if (status > 100 && status < 300) {
      headers.push({ name: 'Contact', value: this.dialog.localContact });
      for (const route of this.request.headers.getAll('Record-Route')) headers.push({ name: 'Record-Route', value: route });
    }
    if (status >= 200 && status < 300) headers.push({ name: 'Allow', value: this.ctx.policy.allowedMethods.join(', ') });
    headers.push({ name: 'Server', value: this.ctx.serverName });
    return buildResponse(this.request, status, { toTag: this.localTag, headers, ...(body !== undefined && { body, contentType: contentType ?? SDP }) });
  }

  /** Sends 180 Ringing, or 183 Session Progress with early-media SDP. */
  ringing(options: { sdp?: string } = {}): void {
    this.assertState(['offered', 'early'], 'ring');
    this.invite.respond(options.sdp === undefined ? this.inviteResponse(180) : this.inviteResponse(183, options.sdp));
    this.current = 'early';
  }

  /**
   * Answers with 200 and our SDP. Resolves true once the caller's ACK confirms the call, false if the
   * call ended first (the ACK never came, and the call was hung up; or the caller hung up).
   */
  answer(sdp: string): Promise<boolean> {
    this.assertState(['offered', 'early'], 'answer');
    const response = this.inviteResponse(200, sdp);
    this.invite.respond(response);
    this.cancelOfferTimer();
    this.current = 'answering';
    this.answered = new Promise((resolve) => {
      this.awaitAck(this.request, response, {
        onAck: (ack) => {
          this.current = 'confirmed';
          if (ack.body.length > 0) this.ackSdp = ack.body.toString('utf8');
          resolve(true);
        },
        onGiveUp: () => {
          this.current = 'confirmed';
          resolve(false);
          void this.sendBye('ack-timeout');
        },
        onEnded: () => resolve(false),
      });
    });
    return this.answered;
  }

  /** Declines the call with a final status from 300 to 699 (486 Busy Here, 603 Decline…). */
  reject(status: number, options: { reason?: string; headers?: HeaderField[] } = {}): void {
    this.assertState(['offered', 'early'], 'reject');
    if (!Number.isInteger(status) || status < 300 || status > 699) {
      throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `a call is rejected with a status from 300 to 699, not ${status}`);
    }
    const response = buildResponse(this.request, status, {
      toTag: this.localTag,
      headers: [...(options.headers ?? []), { name: 'Server', value: this.ctx.serverName }],
      ...(options.reason !== undefined && { reason: options.reason }),
    });
    this.invite.respond(response);
    this.finish({ reason: 'rejected', status });
  }

  /** Hangs up: BYE once answered (after the ACK), 480 before. Resolves when the peer has answered. */
  async bye(): Promise<void> {
    if (this.current === 'ended') return;
    if (this.current === 'offered' || this.current === 'early') return this.reject(480);
    if (this.current === 'answering') await this.answered;
    await this.sendBye('local-bye');
  }

  private async sendBye(reason: CallEndReason, onSent?: () => void): Promise<void> {
    if (this.current === 'ended') return onSent?.();
    this.finish({ reason });
    await this.usage.request('BYE', {}, onSent);
  }

  /** Transfers the caller (REFER, RFC 3515); iterate the result for the transfer's progress. */
  refer(target: string, options: ReferOptions = {}): ReferSubscription {
    this.assertState(['confirmed'], 'transfer');
    const uri = target.startsWith('<') && target.endsWith('>') ? target.slice(1, -1) : target;
    if (!parseUri(uri)) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `transfer target "${target}" is not a URI`);
    const id = String(this.dialog.localSeq + 1);
    const subscription = new ReferSubscription(id, this.ctx.clock, options.idleTimeoutMs ?? 64 * this.ctx.timers.t1, options.signal);
    this.subscriptions.add(subscription);
    const headers = [{ name: 'Refer-To', value: `<${uri}>` }, ...(options.headers ?? [])];
    void this.usage.request('REFER', { headers }).then((response) => {
      subscription.answered(response);
      this.checkDialogAlive(response);
    });
    return subscription;
  }

  /** Sends INFO (e.g. `application/dtmf-relay`); resolves with the final status. */
  async info(contentType: string, body: string | Buffer): Promise<number> {
    this.assertState(['confirmed'], 'send INFO on');
    const response = await this.usage.request('INFO', { body, contentType });
    this.checkDialogAlive(response);
    return response.status;
  }

  /** Sends a re-INVITE with a new offer (hold, resume); resolves with the status and the answer. */
  async reinvite(sdp: string): Promise<{ status: number; sdp: string | undefined }> {
    this.assertState(['confirmed'], 're-INVITE');
    if (this.outgoingReinvite || this.incomingReinvite) throw new ParleyError('PARLEY_ERR_CONFLICT', 'another re-INVITE is in progress');
    this.outgoingReinvite = true;
    try {
      const response = await this.usage.request('INVITE', { body: sdp, contentType: SDP });
      this.checkDialogAlive(response);
      return { status: response.status, sdp: response.body.length > 0 ? response.body.toString('utf8') : undefined };
    } finally {
      this.outgoingReinvite = false;
    }
  }

  onBye(handler: (request: SipRequest) => void): () => void {
    this.byeHandlers.add(handler);
    return () => this.byeHandlers.delete(handler);
  }

  onCancel(handler: () => void): () => void {
    this.cancelHandlers.add(handler);
    return () => this.cancelHandlers.delete(handler);
  }

  onInfo(handler: (info: InfoEvent) => void): () => void {
    this.infoHandlers.add(handler);
    return () => this.infoHandlers.delete(handler);
  }

  /** One handler answers re-INVITEs; a later call replaces it. Without one, re-INVITEs get 488. */
  onReinvite(handler: ReinviteHandler): () => void {
    this.reinviteHandler = handler;
    return () => {
      if (this.reinviteHandler === handler) this.reinviteHandler = undefined;
    };
  }

  private fire<T>(handlers: Iterable<(value: T) => void>, value: T): void {
    for (const handler of [...handlers]) {
      try {
        handler(value);
      } catch (error) {
        this.ctx.logger.error({ err: error, callId: this.callId }, 'SIP call handler failed');
      }
    }
  }

  /** 481 or 408 to an in-dialog request ends the dialog (RFC 3261 §12.2.1.2). */
  private checkDialogAlive(response: SipResponse): void {
    if (response.status === 481 || response.status === 408) this.finish({ reason: 'dialog-lost' });
  }

  private awaitAck(request: SipRequest, response: SipResponse, outcome: { onAck: (ack: SipRequest) => void; onGiveUp: () => void; onEnded: () => void }): void {
    const { onAck, onGiveUp, onEnded } = outcome;
    const stop = retransmitUntilAck({
      clock: this.ctx.clock,
      timers: this.ctx.timers,
      reliable: this.flow.protocol === 'tcp',
      resend: () => void this.ctx.stack.sendResponse(request, this.flow, response).catch(() => undefined),
      onGiveUp: () => {
        this.pendingAck = undefined;
        onGiveUp();
      },
    });
    this.pendingAck = { seq: parseCSeq(request.headers.get('CSeq')!)!.seq, stop, onAck, onEnded };
  }

  /** An ACK for one of our 2xx answers. */
  handleAck(ack: SipRequest): void {
    const seq = parseCSeq(ack.headers.get('CSeq')!)!.seq;
    if (!this.pendingAck || this.pendingAck.seq !== seq) return;
    const { stop, onAck } = this.pendingAck;
    this.pendingAck = undefined;
    stop();
    onAck(ack);
  }

  /** A 2xx to our re-INVITE retransmitted after its transaction ended. */
  handleStray2xx(response: SipResponse): void {
    this.usage.retransmitted2xx(response);
  }

  /** The caller cancelled the INVITE (the agent has answered the CANCEL itself). */
  handleCancel(): void {
    if (this.invite.finalSent || this.current === 'ended') return;
    this.invite.respond(buildResponse(this.request, 487, { toTag: this.localTag }));
    this.fire(this.cancelHandlers, undefined);
    this.finish({ reason: 'cancelled' });
  }

  /** A request inside this call's dialog (never ACK or CANCEL). */
  handleRequest(request: SipRequest, transaction: ServerTransaction): void {
    const respond = (status: number, headers: HeaderField[] = []): void =>
      transaction.respond(buildResponse(request, status, { toTag: this.localTag, headers }));
    if (this.current === 'ended') return respond(481);
    if (!this.dialog.acceptRemoteSeq(request)) return respond(500);
    const rejection = checkUasRequest(request, this.ctx.policy);
    if (rejection) return respond(rejection.status, rejection.headers);
    switch (request.method) {
      case 'BYE':
        respond(200);
        if (!this.invite.finalSent) this.invite.respond(buildResponse(this.request, 487, { toTag: this.localTag }));
        this.fire(this.byeHandlers, request);
        return this.finish({ reason: 'remote-bye' });
      case 'INFO':
        respond(200);
        return this.fire(this.infoHandlers, { contentType: request.headers.get('Content-Type'), body: request.body, request });
      case 'OPTIONS':
        return respond(200, [{ name: 'Allow', value: this.ctx.policy.allowedMethods.join(', ') }]);
      case 'NOTIFY':
        return respond(this.subscriptions.notify(request));
      case 'INVITE':
        return this.handleReinvite(request, transaction as InviteServerTransaction, respond);
      default:
        return respond(403);
    }
  }

  private handleReinvite(request: SipRequest, transaction: InviteServerTransaction, respond: (status: number, headers?: HeaderField[]) => void): void {
    if (this.current !== 'confirmed' || this.incomingReinvite) {
      return respond(500, [{ name: 'Retry-After', value: String(Math.floor(Math.random() * 10)) }]);
    }
    if (this.outgoingReinvite) return respond(491);
    const handler = this.reinviteHandler;
    if (!handler) return respond(488);
    this.dialog.refreshTarget(request);
    this.incomingReinvite = true;
    const sdp = request.body.length > 0 ? request.body.toString('utf8') : undefined;
    Promise.resolve()
      .then(() => handler({ sdp, request }))
      .then((answer) => {
        if (this.current === 'ended') return;
        if (answer === undefined) {
          this.incomingReinvite = false;
          return respond(488);
        }
        const response = buildResponse(request, 200, {
          toTag: this.localTag,
          headers: [{ name: 'Contact', value: this.dialog.localContact }, { name: 'Server', value: this.ctx.serverName }],
          body: answer,
          contentType: SDP,
        });
        transaction.respond(response);
        const done = (): void => {
          this.incomingReinvite = false;
        };
        this.awaitAck(request, response, {
          onAck: done,
          onGiveUp: () => {
            done();
            void this.sendBye('ack-timeout');
          },
          onEnded: done,
        });
      })
      .catch((error: unknown) => {
        this.incomingReinvite = false;
        this.ctx.logger.error({ err: error, callId: this.callId }, 'SIP re-INVITE handler failed');
        if (!transaction.finalSent) respond(500);
      });
  }

  /** Ends the call at agent shutdown: 503 before an answer, BYE after. */
  async shutdown(): Promise<void> {
    if (this.current === 'offered' || this.current === 'early') {
      this.invite.respond(buildResponse(this.request, 503, { toTag: this.localTag }));
      this.finish({ reason: 'agent-closed' });
    } else await new Promise<void>((resolve) => void this.sendBye('agent-closed', resolve));
  }

  private finish(end: CallEnd): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.cancelOfferTimer();
    const pendingAck = this.pendingAck;
    this.pendingAck = undefined;
    pendingAck?.stop();
    pendingAck?.onEnded();
    this.subscriptions.endAll('call-ended');
    this.resolveEnded(end);
    this.ctx.onEnded(this);
  }
}
