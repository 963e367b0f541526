/**
 * Server transactions (RFC 3261 §17.2, with the Accepted state of RFC 6026 for INVITE): they absorb
 * retransmitted requests by sending the last response again, retransmit INVITE error responses over
 * UDP (timer G) until the ACK arrives or timer H fires, and linger to absorb late copies (timers I, J, L).
 */
import type { Clock, SipTimerValues } from './clock.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { toTagOf } from './transaction-key.ts';

export interface TransactionContext {
  clock: Clock;
  timers: SipTimerValues;
  /** TCP: no retransmissions, and no lingering. */
  reliable: boolean;
}

export type ResponseSender = (response: SipResponse) => Promise<void>;

abstract class ServerTransactionBase {
  lastResponse: SipResponse | undefined;
  /** Called once, when the transaction ends. */
  onTerminated: (() => void) | undefined;
  /** A response could not be sent. */
  onTransportError: ((error: Error) => void) | undefined;
  protected cancels: Array<() => void> = [];
  abstract state: string;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    protected readonly ctx: TransactionContext,
    private readonly sender: ResponseSender,
  ) {}

  get method(): string {
    return this.request.method;
  }

  get finalSent(): boolean {
    return this.lastResponse !== undefined && this.lastResponse.status >= 200;
  }

  protected send(response: SipResponse): void {
    this.sender(response).catch((error: unknown) => {
      this.onTransportError?.(error instanceof Error ? error : new Error(String(error)));
      this.terminate();
    });
  }

  protected after(ms: number, fn: () => void): void {
    this.cancels.push(this.ctx.clock.schedule(ms, fn));
  }

  protected stopTimers(): void {
    for (const cancel of this.cancels.splice(0)) cancel();
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.stopTimers();
    this.onTerminated?.();
  }
}

export class InviteServerTransaction extends ServerTransactionBase {
  state: 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated' = 'proceeding';
  /** Timer H fired: the ACK for an error response never came. */
  onAckTimeout: (() => void) | undefined;

  respond(response: SipResponse): void {
    if (this.state === 'accepted' && response.status >= 200 && response.status < 300) {
      this.send(response);
      return;
    }
    if (this.state !== 'proceeding') throw new Error(`cannot respond in state ${this.state}`);
    this.lastResponse = response;
    this.send(response);
    if (response.status < 200) return;
    const { t1, t2 } = this.ctx.timers;
    if (response.status < 300) {
      this.state = 'accepted';
      this.after(64 * t1, () => this.terminate()); // timer L
      return;
    }
    this.state = 'completed';
    if (!this.ctx.reliable) this.retransmitEvery(t1, t2); // timer G
    this.after(64 * t1, () => {
      // timer H
      this.onAckTimeout?.();
      this.terminate();
    });
  }

  private retransmitEvery(interval: number, cap: number): void {
    this.after(interval, () => {
      if (this.state !== 'completed' || !this.lastResponse) return;
      this.send(this.lastResponse);
      this.retransmitEvery(Math.min(2 * interval, cap), cap);
    });
  }

  /** An RFC 2543 ACK matches only if its To tag is the one of our final response (§17.2.3). */
  matchesAck(ack: SipRequest): boolean {
    if (!this.key.startsWith('2543|') || !this.lastResponse) return true;
    return toTagOf(ack) === toTagOf(this.lastResponse);
  }

  /** A retransmitted INVITE or an ACK; returns true when the ACK is for a 2xx and belongs to the TU. */
  receive(request: SipRequest): boolean {
    if (request.method === 'ACK') {
      if (this.state === 'accepted') return true;
      if (this.state !== 'completed') return false;
      this.state = 'confirmed';
      this.stopTimers();
      this.after(this.ctx.reliable ? 0 : this.ctx.timers.t4, () => this.terminate()); // timer I
      return false;
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) this.send(this.lastResponse);
    return false;
  }
}

export class NonInviteServerTransaction extends ServerTransactionBase {
  state: 'trying' | 'proceeding' | 'completed' | 'terminated' = 'trying';

  respond(response: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') throw new Error(`cannot respond in state ${this.state}`);
    this.lastResponse = response;
    this.send(response);
    if (response.status < 200) {
      this.state = 'proceeding';
      return;
    }
    this.state = 'completed';
    this.after(this.ctx.reliable ? 0 : 64 * this.ctx.timers.t1, () => this.terminate()); // timer J
  }

  /** A retransmission: answered with the last response, if any. */
  receive(_request: SipRequest): boolean {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) this.send(this.lastResponse);
    return false;
  }
}

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
