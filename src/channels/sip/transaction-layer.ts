/**
 * The transaction layer (RFC 3261 §17): matches requests to server transactions and responses to
 * client transactions, creates new ones, and hands everything else to the transaction user (the UAS
 * core): new requests, ACKs for 2xx, and responses that match nothing.
 */
import type { Clock, SipTimerValues } from './clock.ts';
import type { SipRequest, SipResponse } from './message.ts';
import type { Flow } from './transport.ts';
import type { ClientTransaction, ClientTransactionUser, RequestSender } from './client-transactions.ts';
import { InviteClientTransaction, NonInviteClientTransaction } from './client-transactions.ts';
import type { ResponseSender, ServerTransaction } from './server-transactions.ts';
import { InviteServerTransaction, NonInviteServerTransaction } from './server-transactions.ts';
import { clientTransactionKey, responseTransactionKey, serverTransactionKey } from './transaction-key.ts';
import { buildResponse } from './response-builder.ts';
import { branchOf, parseVia } from './via.ts';

export interface TransactionUser {
  /** A new request (never an ACK) and the server transaction that will carry its responses. */
  onRequest(request: SipRequest, transaction: ServerTransaction, flow: Flow): void;
  /** An ACK that no INVITE server transaction absorbed: the ACK of a 2xx (§13.3.1.4). */
  onAck(request: SipRequest, flow: Flow): void;
  /** A response no client transaction matched, such as a retransmitted 2xx to an INVITE. */
  onStrayResponse(response: SipResponse, flow: Flow): void;
}

export interface TransactionLayerOptions {
  clock: Clock;
  timers: SipTimerValues;
  /** Above this many live server transactions, new requests get 503 statelessly. */
  maxTransactions: number;
}

export class TransactionLayer {
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, ClientTransaction>();

  constructor(
    private readonly user: TransactionUser,
    private readonly options: TransactionLayerOptions,
  ) {}

  get size(): { server: number; client: number } {
    return { server: this.servers.size, client: this.clients.size };
  }

  /** A valid request from the network; `send` routes a response back to where the request came from. */
  receiveRequest(request: SipRequest, flow: Flow, send: ResponseSender): void {
    const key = serverTransactionKey(request);
    const existing = this.servers.get(key);
    if (request.method === 'ACK') {
      const invite = existing instanceof InviteServerTransaction && existing.matchesAck(request) ? existing : undefined;
      if (!invite || invite.receive(request)) this.user.onAck(request, flow);
      return;
    }
    if (existing) {
      existing.receive(request);
      return;
    }
    if (this.servers.size >= this.options.maxTransactions) {
      send(buildResponse(request, 503, { headers: [{ name: 'Retry-After', value: '5' }] })).catch(() => undefined);
      return;
    }
    const ctx = { clock: this.options.clock, timers: this.options.timers, reliable: flow.protocol === 'tcp' };
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(key, request, ctx, send)
        : new NonInviteServerTransaction(key, request, ctx, send);
    this.servers.set(key, transaction);
    transaction.onTerminated = () => this.servers.delete(key);
    if (transaction instanceof InviteServerTransaction) transaction.respond(buildResponse(request, 100));
    this.user.onRequest(request, transaction, flow);
  }

  /** The INVITE server transaction a CANCEL is for (§9.2). */
  inviteFor(cancel: SipRequest): InviteServerTransaction | undefined {
    const transaction = this.servers.get(serverTransactionKey(cancel, 'INVITE'));
    return transaction instanceof InviteServerTransaction ? transaction : undefined;
  }

  receiveResponse(response: SipResponse, flow: Flow): void {
    const key = responseTransactionKey(response);
    const transaction = key === undefined ? undefined : this.clients.get(key);
    if (transaction) transaction.receive(response);
    else this.user.onStrayResponse(response, flow);
  }

  /** Sends a request (its top Via carries our branch) in a new client transaction. */
  sendRequest(request: SipRequest, reliable: boolean, send: RequestSender, user: ClientTransactionUser): ClientTransaction {
    const top = request.headers.values('Via')[0];
    const via = top === undefined ? undefined : parseVia(top);
    const branch = via ? branchOf(via) : undefined;
    if (branch === undefined) throw new Error('request has no Via branch');
    const key = clientTransactionKey(branch, request.method);
    const ctx = { clock: this.options.clock, timers: this.options.timers, reliable };
    const transaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, request, ctx, send, user)
        : new NonInviteClientTransaction(key, request, ctx, send, user);
    this.clients.set(key, transaction);
    transaction.onTerminated = () => this.clients.delete(key);
    transaction.start();
    return transaction;
  }

  /** Ends every transaction and its timers. */
  close(): void {
    for (const transaction of [...this.servers.values(), ...this.clients.values()]) transaction.terminate();
  }
}
