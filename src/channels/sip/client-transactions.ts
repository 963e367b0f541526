/**
 * Client transactions (RFC 3261 §17.1, with the Accepted state of RFC 6026 for INVITE): they
 * retransmit requests over UDP (timers A and E), give up after 64*T1 (timers B and F), ACK error
 * responses to INVITE themselves, and linger to absorb retransmitted responses (timers D, K, M).
 */
import type { SipRequest, SipResponse } from './message.ts';
import { SipHeaders } from './message.ts';
import type { TransactionContext } from './server-transactions.ts';

export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired: no final response. */
  onTimeout(): void;
  onTransportError(error: Error): void;
}

export type RequestSender = (request: SipRequest) => Promise<void>;

abstract class ClientTransactionBase {
  abstract state: string;
  onTerminated: (() => void) | undefined;
  protected cancels: Array<() => void> = [];

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    protected readonly ctx: TransactionContext,
    protected readonly sender: RequestSender,
    protected readonly user: ClientTransactionUser,
  ) {}

  protected send(request: SipRequest): void {
    this.sender(request).catch((error: unknown) => {
      if (this.state === 'terminated') return;
      this.terminate();
      this.user.onTransportError(error instanceof Error ? error : new Error(String(error)));
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

  /** Retransmits while `active()` holds, the interval doubling up to `cap`. */
  protected retransmit(interval: number, cap: number, active: () => boolean): void {
    this.after(interval, () => {
      if (!active()) return;
      this.send(this.request);
      this.retransmit(Math.min(2 * interval, cap), cap, active);
    });
  }

  abstract start(): void;
  abstract receive(response: SipResponse): void;
}

export class InviteClientTransaction extends ClientTransactionBase {
  state: 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated' = 'calling';
  private ack: SipRequest | undefined;

  start(): void {
    const { t1 } = this.ctx.timers;
    this.send(this.request);
    if (!this.ctx.reliable) this.retransmit(t1, Number.POSITIVE_INFINITY, () => this.state === 'calling'); // timer A
    this.after(64 * t1, () => {
      // timer B
      if (this.state !== 'calling') return;
      this.terminate();
      this.user.onTimeout();
    });
  }

  receive(response: SipResponse): void {
    const { status } = response;
    if (this.state === 'calling' || this.state === 'proceeding') {
      if (status < 200) {
        this.state = 'proceeding';
      } else if (status < 300) {
        this.state = 'accepted';
        this.stopTimers();
        this.after(64 * this.ctx.timers.t1, () => this.terminate()); // timer M
      } else {
        this.state = 'completed';
        this.stopTimers();
        this.ack = buildNon2xxAck(this.request, response);
        this.send(this.ack);
        this.after(this.ctx.reliable ? 0 : 64 * this.ctx.timers.t1, () => this.terminate()); // timer D
      }
      this.user.onResponse(response);
    } else if (this.state === 'accepted' && status >= 200 && status < 300) {
      this.user.onResponse(response);
    } else if (this.state === 'completed' && status >= 300 && this.ack) {
      this.send(this.ack);
    }
  }
}

export class NonInviteClientTransaction extends ClientTransactionBase {
  state: 'trying' | 'proceeding' | 'completed' | 'terminated' = 'trying';

  start(): void {
    const { t1, t2 } = this.ctx.timers;
    this.send(this.request);
    if (!this.ctx.reliable) this.retransmitE(t1, t2);
    this.after(64 * t1, () => {
      // timer F
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.terminate();
      this.user.onTimeout();
    });
  }

  /** Timer E: doubling up to T2 while trying, every T2 once proceeding. */
  private retransmitE(interval: number, t2: number): void {
    this.after(interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.send(this.request);
      this.retransmitE(this.state === 'proceeding' ? t2 : Math.min(2 * interval, t2), t2);
    });
  }

  receive(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    if (response.status < 200) {
      this.state = 'proceeding';
    } else {
      this.state = 'completed';
      this.stopTimers();
      this.after(this.ctx.reliable ? 0 : this.ctx.timers.t4, () => this.terminate()); // timer K
    }
    this.user.onResponse(response);
  }
}

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

/** The ACK for a 300–699 response (§17.1.1.3): same branch, To from the response, the INVITE's Route. */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const via = invite.headers.values('Via')[0];
  if (via !== undefined) headers.append('Via', via);
  headers.append('Max-Forwards', '70');
  headers.append('From', invite.headers.get('From') ?? '');
  headers.append('To', response.headers.get('To') ?? invite.headers.get('To') ?? '');
  headers.append('Call-ID', invite.headers.get('Call-ID') ?? '');
  const seq = (invite.headers.get('CSeq') ?? '').trim().split(/\s+/)[0] ?? '1';
  headers.append('CSeq', `${seq} ACK`);
  for (const route of invite.headers.getAll('Route')) headers.append('Route', route);
  return { kind: 'request', method: 'ACK', uri: invite.uri, version: invite.version, headers, body: Buffer.alloc(0) };
}
