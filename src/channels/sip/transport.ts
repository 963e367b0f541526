/**
 * What the stack needs of a transport: send bytes to an endpoint (reusing a connection where there is
 * one), report what arrives with the flow it arrived on, and close.
 */

export type TransportProtocol = 'udp' | 'tcp';

export interface Endpoint {
  address: string;
  port: number;
}

/** Where a message came from and over what: responses and in-dialog requests can go back the same way. */
export interface Flow {
  protocol: TransportProtocol;
  local: Endpoint;
  remote: Endpoint;
  /** The TCP connection, while it is open. */
  connectionId?: string;
}

export interface TransportListener {
  /** One datagram, or one message cut from a stream. */
  onMessage(data: Buffer, flow: Flow): void;
  /** A stream lost its framing; the connection is closed after this returns. */
  onFramingError(reason: string, head: Buffer | undefined, flow: Flow): void;
  /** A socket error that did not close the transport (logged by the stack). */
  onError(error: Error): void;
}

export interface SipTransport {
  readonly protocol: TransportProtocol;
  /** The bound address and port (the real port when 0 was asked for). */
  readonly local: Endpoint;
  /** Sends over `connectionId` when it is still open, else to `remote` (opening a connection for TCP). */
  send(data: Buffer, remote: Endpoint, connectionId?: string): Promise<void>;
  close(): Promise<void>;
}

export interface TransportConfig {
  protocol: TransportProtocol;
  /** Address to bind; default 0.0.0.0. */
  host?: string;
  /** Port to bind; default 5060, 0 for an ephemeral port. */
  port?: number;
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; `[2001:db8::1]` → `2001:db8::1`. */
export function normalizeAddress(address: string): string {
  const unbracketed = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed);
  return (mapped ? mapped[1]! : unbracketed).toLowerCase();
}

export function endpointKey(endpoint: Endpoint): string {
  return `${normalizeAddress(endpoint.address)}|${endpoint.port}`;
}
