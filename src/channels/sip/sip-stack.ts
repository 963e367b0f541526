/**
 * The SIP stack below the UAS core: transports in, parse → validate → stamp Via → transaction layer;
 * stateless 400/505 for requests that fail validation (where a response can be built), drops for the
 * rest; requests out with our Via and a client transaction. It knows nothing of calls or dialogs.
 */
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Clock, SipTimerValues } from './clock.ts';
import { DEFAULT_TIMERS, systemClock } from './clock.ts';
import type { ClientTransaction, ClientTransactionUser } from './client-transactions.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { MAGIC_COOKIE } from './via.ts';
import { DEFAULT_PARSE_LIMITS, parseMessage } from './parser.ts';
import type { Rejection } from './request-validator.ts';
import { responseProblem, validateRequest } from './request-validator.ts';
import { buildResponse } from './response-builder.ts';
import { responseTarget, stampVia } from './response-routing.ts';
import { serializeMessage } from './serializer.ts';
import type { SipLogger } from './sip-logger.ts';
import { silentLogger } from './sip-logger.ts';
import { DEFAULT_TCP_OPTIONS, openTcpTransport } from './tcp-transport.ts';
import type { TransactionUser } from './transaction-layer.ts';
import { TransactionLayer } from './transaction-layer.ts';
import type { Endpoint, Flow, SipTransport, TransportConfig, TransportListener, TransportProtocol } from './transport.ts';
import { normalizeAddress } from './transport.ts';
import { openUdpTransport } from './udp-transport.ts';
import type { SipUri } from './uri.ts';

export interface SipLimits {
  maxMessageBytes: number;
  maxHeaders: number;
  maxTransactions: number;
  maxConnections: number;
  tcpIdleTimeoutMs: number;
}

export const DEFAULT_LIMITS: SipLimits = {
  ...DEFAULT_PARSE_LIMITS,
  maxTransactions: 10_000,
  maxConnections: DEFAULT_TCP_OPTIONS.maxConnections,
  tcpIdleTimeoutMs: DEFAULT_TCP_OPTIONS.idleTimeoutMs,
};

/** What happened to messages that never reached the core; for metrics and tests. */
export type SipStackEvent =
  | { type: 'dropped'; reason: string; remote: Endpoint }
  | { type: 'rejected'; status: number; detail: string; method: string; remote: Endpoint }
  | { type: 'strayResponse'; status: number; remote: Endpoint };

export interface SipStackOptions {
  transports: TransportConfig[];
  /** Host written in Via and Contact; default the bound address, or this machine's first IPv4 address. */
  advertisedHost?: string;
  /** Answer every request at its packet source, as if it asked for rport (callers behind NAT). */
  forceRport?: boolean;
  timers?: Partial<SipTimerValues>;
  clock?: Clock;
  limits?: Partial<SipLimits>;
  logger?: SipLogger;
  onEvent?: (event: SipStackEvent) => void;
}

/** Where to send a request: the transport, the endpoint, and a connection to reuse if open. */
export interface Destination {
  protocol: TransportProtocol;
  remote: Endpoint;
  connectionId?: string;
}

export class SipStack {
  readonly timers: SipTimerValues;
  readonly clock: Clock;
  readonly transactions: TransactionLayer;
  private readonly transports: SipTransport[] = [];
  private readonly limits: SipLimits;
  private readonly logger: SipLogger;
  private advertised = '';
  private closed = false;
  /** Writes handed to a transport and not yet done: close() lets them finish. */
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly options: SipStackOptions,
    user: TransactionUser,
  ) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.clock = options.clock ?? systemClock;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.logger = options.logger ?? silentLogger;
    this.transactions = new TransactionLayer(user, { clock: this.clock, timers: this.timers, maxTransactions: this.limits.maxTransactions });
  }

  static async open(options: SipStackOptions, user: TransactionUser): Promise<SipStack> {
    const stack = new SipStack(options, user);
    const listener: TransportListener = {
      onMessage: (data, flow) => stack.receive(data, flow),
      onFramingError: (reason, head, flow) => stack.framingError(reason, head, flow),
      onError: (error) => stack.logger.warn({ err: error }, 'SIP transport error'),
    };
    const tcp = { ...DEFAULT_TCP_OPTIONS, maxMessageBytes: stack.limits.maxMessageBytes, maxConnections: stack.limits.maxConnections, idleTimeoutMs: stack.limits.tcpIdleTimeoutMs };
    try {
      for (const config of options.transports) {
        const host = config.host ?? '0.0.0.0';
        const port = config.port ?? 5060;
        stack.transports.push(config.protocol === 'udp' ? await openUdpTransport(host, port, listener) : await openTcpTransport(host, port, listener, tcp));
      }
    } catch (error) {
      await stack.close();
      throw error;
    }
    stack.advertised = options.advertisedHost ?? defaultAdvertisedHost(stack.transports[0]?.local.address ?? '0.0.0.0');
    return stack;
  }

  /** Bound transports, with their real ports. */
  get bindings(): Array<{ protocol: TransportProtocol; address: string; port: number }> {
    return this.transports.map((t) => ({ protocol: t.protocol, ...t.local }));
  }

  get advertisedHost(): string {
    return this.advertised;
  }

  /** Host and port to put in a Contact for messages over `protocol`. */
  contactAddress(protocol: TransportProtocol): Endpoint {
    return { address: this.advertised, port: this.transport(protocol).local.port };
  }

  private transport(protocol: TransportProtocol): SipTransport {
    const transport = this.transports.find((t) => t.protocol === protocol) ?? this.transports[0];
    if (!transport) throw new Error('no SIP transport is open');
    return transport;
  }

  private emit(event: SipStackEvent): void {
    this.options.onEvent?.(event);
  }

  private receive(data: Buffer, flow: Flow): void {
    try {
      this.handle(data, flow);
    } catch (error) {
      this.logger.error({ err: error }, 'SIP message handling failed');
    }
  }

  private handle(data: Buffer, flow: Flow): void {
    if (data.every((byte) => byte === 0x0d || byte === 0x0a)) return; // keep-alive
    const parsed = parseMessage(data, this.limits);
    if (!parsed.ok) {
      const partial = parsed.request;
      if (partial && partial.method !== 'ACK' && partial.headers.has('Via')) {
        this.rejectStateless(partial, flow, { status: 400, detail: parsed.reason });
      } else this.emit({ type: 'dropped', reason: parsed.reason, remote: flow.remote });
      return;
    }
    const message = parsed.message;
    if (message.kind === 'response') {
      const problem = responseProblem(message) ?? (message.headers.values('Via').length > 1 ? 'response with more than one Via' : undefined);
      if (problem) this.emit({ type: 'dropped', reason: problem, remote: flow.remote });
      else this.transactions.receiveResponse(message, flow);
      return;
    }
    const rejection = validateRequest(message);
    if (rejection) {
      if (message.method === 'ACK') this.emit({ type: 'dropped', reason: rejection.detail, remote: flow.remote });
      else this.rejectStateless(message, flow, rejection);
      return;
    }
    stampVia(message, flow.remote);
    this.transactions.receiveRequest(message, flow, (response) => this.sendResponse(message, flow, response));
  }

  private framingError(reason: string, head: Buffer | undefined, flow: Flow): void {
    const parsed = head ? parseMessage(Buffer.concat([head, Buffer.from('\r\n\r\n')]), this.limits) : undefined;
    const request = parsed?.ok ? (parsed.message.kind === 'request' ? parsed.message : undefined) : parsed?.request;
    if (request && request.method !== 'ACK' && request.headers.has('Via')) this.rejectStateless(request, flow, { status: 400, detail: reason });
    else this.emit({ type: 'dropped', reason, remote: flow.remote });
  }

  /** Answers a request outside any transaction (it failed validation, or the stack is overloaded). */
  rejectStateless(request: { method: string; headers: SipRequest['headers'] }, flow: Flow, rejection: Rejection): void {
    const warning = { name: 'Warning', value: `399 ${this.advertised || 'parley'} "${rejection.detail.replace(/["\\]/g, '')}"` };
    const response = buildResponse(request, rejection.status, { toTag: newTag(), headers: [...(rejection.headers ?? []), warning] });
    this.emit({ type: 'rejected', status: rejection.status, detail: rejection.detail, method: request.method, remote: flow.remote });
    this.logger.debug({ status: rejection.status, detail: rejection.detail, method: request.method }, 'SIP request rejected');
    this.sendResponse(request, flow, response).catch((error: unknown) => this.logger.warn({ err: error }, 'SIP response not sent'));
  }

  /** Sends a response back the way RFC 3261 §18.2.2 (or forceRport) says. */
  sendResponse(request: { headers: SipRequest['headers'] }, flow: Flow, response: SipResponse): Promise<void> {
    const target = responseTarget(request, flow, this.options.forceRport ?? false);
    return this.write(flow.protocol, serializeMessage(response), target.remote, target.connectionId);
  }

  private write(protocol: TransportProtocol, data: Buffer, remote: Endpoint, connectionId?: string): Promise<void> {
    const sending = this.transport(protocol).send(data, remote, connectionId);
    const tracked = sending.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return sending;
  }

  /** Adds our Via (unless the request has one) and sends once, outside any transaction (ACK for a 2xx). */
  async sendStateless(request: SipRequest, destination: Destination): Promise<void> {
    if (!request.headers.has('Via')) request.headers.prepend('Via', this.via(destination.protocol));
    await this.write(destination.protocol, serializeMessage(request), destination.remote, destination.connectionId);
  }

  /** Adds our Via and sends the request in a client transaction. */
  sendRequest(request: SipRequest, destination: Destination, user: ClientTransactionUser): ClientTransaction {
    request.headers.prepend('Via', this.via(destination.protocol));
    const protocol = this.transport(destination.protocol).protocol;
    const send = (message: SipRequest): Promise<void> => this.write(protocol, serializeMessage(message), destination.remote, destination.connectionId);
    return this.transactions.sendRequest(request, protocol === 'tcp', send, user);
  }

  private via(protocol: TransportProtocol): string {
    const { port } = this.transport(protocol).local;
    const host = isIP(this.advertised) === 6 ? `[${this.advertised}]` : this.advertised;
    return `SIP/2.0/${protocol.toUpperCase()} ${host}:${port};branch=${MAGIC_COOKIE}${randomBytes(9).toString('base64url')};rport`;
  }

  /** Where a SIP URI points (RFC 3263 reduced to A records: no NAPTR or SRV). */
  async resolve(uri: SipUri): Promise<Destination> {
    const wanted = uri.params.get('transport')?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
    const protocol = this.transports.some((t) => t.protocol === wanted) ? wanted : this.transport(wanted).protocol;
    const host = normalizeAddress(uri.params.get('maddr') ?? uri.host);
    const address = isIP(host) ? host : (await lookup(host)).address;
    return { protocol, remote: { address, port: uri.port ?? 5060 } };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.transactions.close();
    await Promise.allSettled([...this.inFlight]);
    await Promise.all(this.transports.map((t) => t.close()));
  }
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

function defaultAdvertisedHost(bound: string): string {
  if (bound !== '0.0.0.0' && bound !== '::') return bound;
  for (const addresses of Object.values(networkInterfaces())) {
    const ipv4 = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (ipv4) return ipv4.address;
  }
  return '127.0.0.1';
}
