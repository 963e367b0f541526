/**
 * A bare UDP peer for SIP tests: sends raw bytes to the agent and collects what comes back, parsed.
 */
import { createSocket } from 'node:dgram';
import { parseMessage } from '../../src/channels/sip/parser.ts';
import type { SipMessage } from '../../src/channels/sip/message.ts';

export interface UdpPeer {
  port: number;
  received: SipMessage[];
  send(data: Buffer | string, port: number): Promise<void>;
  /** The first received message (already arrived or arriving within `timeoutMs`) that `match` accepts. */
  waitFor<T extends SipMessage>(match: (message: SipMessage) => message is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (message: SipMessage) => boolean, timeoutMs?: number): Promise<SipMessage>;
  /** Resolves true if no matching message arrives within `ms`. */
  quiet(match: (message: SipMessage) => boolean, ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function createUdpPeer(): Promise<UdpPeer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received: SipMessage[] = [];
  const waiters = new Set<(message: SipMessage) => void>();
  socket.on('message', (data) => {
    const parsed = parseMessage(data);
    if (!parsed.ok) return;
    received.push(parsed.message);
    for (const waiter of [...waiters]) waiter(parsed.message);
  });
  const waitFor = (match: (message: SipMessage) => boolean, timeoutMs = 2_000): Promise<SipMessage> => {
    const found = received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error('no matching SIP message arrived'));
      }, timeoutMs);
      const waiter = (message: SipMessage): void => {
        if (!match(message)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(message);
      };
      waiters.add(waiter);
    });
  };
  return {
    port: socket.address().port,
    received,
    send: (data, port) => new Promise((resolve, reject) => socket.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve()))),
    waitFor,
    quiet: (match, ms) =>
      waitFor(match, ms).then(
        () => false,
        () => true,
      ),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
