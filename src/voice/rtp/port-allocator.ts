import { createSocket, type Socket, type SocketOptions } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { ParleyError } from '../../errors.ts';

/**
 * UDP ports for calls: each call gets an even RTP port and the odd port above it for RTCP
 * (RFC 3550 §11), both bound, from a configured range. Ports in use by this process are skipped
 * without trying; ports taken by other processes are skipped when binding fails. `release` (through
 * `RtpPortPair.close`) gives them back.
 */

export interface PortRange {
  minPort: number;
  maxPort: number;
}

export interface RtpPortPair {
  readonly port: number;
  readonly rtp: Socket;
  readonly rtcp: Socket;
  /** Close both sockets and give the ports back. Safe to call twice. */
  close(): Promise<void>;
}

export class RtpPortAllocator {
  readonly #minPort: number;
  readonly #maxPort: number;
  readonly #inUse = new Set<number>();
  #cursor: number;

  constructor(range: PortRange = { minPort: 10000, maxPort: 20000 }) {
    const min = range.minPort + (range.minPort % 2);
    if (
      !Number.isInteger(range.minPort) ||
      !Number.isInteger(range.maxPort) ||
      min < 1024 ||
      range.maxPort > 65535 ||
      range.maxPort < min + 1
    ) {
      throw new ParleyError(
        'PARLEY_ERR_CONFIG',
        `RTP port range ${range.minPort}–${range.maxPort} must lie within 1024–65535 and hold at least one even/odd pair`,
      );
    }
    this.#minPort = min;
    this.#maxPort = range.maxPort;
    this.#cursor = min;
  }

  /** Pairs the range can hold. */
  get capacity(): number {
    return Math.floor((this.#maxPort - this.#minPort + 1) / 2);
  }

  get allocated(): number {
    return this.#inUse.size;
  }

  /** Bind an RTP/RTCP pair on `address` (an IPv4 or IPv6 literal). */
  async allocate(address: string): Promise<RtpPortPair> {
    const type = address.includes(':') ? 'udp6' : 'udp4';
    for (let attempt = 0; attempt < this.capacity; attempt++) {
      const port = this.#cursor;
      this.#cursor = port + 2 > this.#maxPort - 1 ? this.#minPort : port + 2;
      if (this.#inUse.has(port)) continue;
      this.#inUse.add(port);
      const rtp = createSocket({ type, reuseAddr: false, lookup: literalLookup });
      const rtcp = createSocket({ type, reuseAddr: false, lookup: literalLookup });
      try {
        await bind(rtp, port, address);
        await bind(rtcp, port + 1, address);
      } catch (error) {
        await Promise.all([closeQuietly(rtp), closeQuietly(rtcp)]);
        this.#inUse.delete(port);
        if (isAddressInUse(error)) continue;
        throw new ParleyError(
          'PARLEY_ERR_CONFIG',
          `cannot bind RTP on ${address}:${port}: ${String(error)}`,
          { cause: error },
        );
      }
      let closed = false;
      return {
        port,
        rtp,
        rtcp,
        close: async () => {
          if (closed) return;
          closed = true;
          await Promise.all([closeQuietly(rtp), closeQuietly(rtcp)]);
          this.#inUse.delete(port);
        },
      };
    }
    throw new ParleyError(
      'PARLEY_ERR_CONFIG',
      `no free RTP port pair in ${this.#minPort}–${this.#maxPort} (${this.#inUse.size} calls hold ports); widen the range`,
      {
        retryable: true,
      },
    );
  }
}

/**
 * `dgram.send` resolves its address on every datagram, through `dns.lookup`, which answers an IP literal
 * on the next tick. RTP addresses are nearly always literals (from SDP): answering those at once saves a
 * deferred call and its objects per packet (a quarter of what a send leaves to the garbage collector).
 * Names still go to `dns.lookup`.
 */
const literalLookup: NonNullable<SocketOptions['lookup']> = (hostname, options, callback) => {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options, callback);
};

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function closeQuietly(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound, or already closed
    }
  });
}

function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE';
}
