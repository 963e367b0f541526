/**
 * SIP over TCP (node:net): a listener plus outgoing connections, each framed by `SipStreamFramer`.
 * Connections are reused in both directions (RFC 3261 §18): a message to an endpoint we already have a
 * connection with goes over it. Idle connections are closed; the number of connections is capped.
 */
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { Endpoint, Flow, SipTransport, TransportListener } from './transport.ts';
import { endpointKey, normalizeAddress } from './transport.ts';
import { FramingError, SipStreamFramer } from './stream-framer.ts';

export interface TcpOptions {
  maxMessageBytes: number;
  maxConnections: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
}

export const DEFAULT_TCP_OPTIONS: TcpOptions = {
  maxMessageBytes: 65_535,
  maxConnections: 1024,
  idleTimeoutMs: 300_000,
  connectTimeoutMs: 5_000,
};

interface Connection {
  id: string;
  socket: Socket;
  flow: Flow;
}

export async function openTcpTransport(
  host: string,
  port: number,
  listener: TransportListener,
  options: TcpOptions = DEFAULT_TCP_OPTIONS,
): Promise<SipTransport> {
  const connections = new Map<string, Connection>();
  const byRemote = new Map<string, string>();
  let nextId = 1;
  let closed = false;

  const server: Server = createServer((socket) => adopt(socket));
  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => listener.onError(error));
  const address = server.address();
  const local: Endpoint = typeof address === 'object' && address ? { address: address.address, port: address.port } : { address: host, port };

  function adopt(socket: Socket): Connection {
    const id = `tcp-${nextId++}`;
    const remote = { address: normalizeAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    const connection: Connection = { id, socket, flow: { protocol: 'tcp', local, remote, connectionId: id } };
    const framer = new SipStreamFramer(options.maxMessageBytes);
    connections.set(id, connection);
    byRemote.set(endpointKey(remote), id);
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        const { messages, pings } = framer.push(chunk);
        for (let i = 0; i < pings; i++) socket.write('\r\n');
        for (const message of messages) listener.onMessage(message, connection.flow);
      } catch (error) {
        if (!(error instanceof FramingError)) throw error;
        listener.onFramingError(error.message, error.head, connection.flow);
        socket.end();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      connections.delete(id);
      if (byRemote.get(endpointKey(remote)) === id) byRemote.delete(endpointKey(remote));
    });
    return connection;
  }

  function open(remote: Endpoint): Promise<Connection> {
    if (connections.size >= options.maxConnections) return Promise.reject(new Error('too many TCP connections'));
    return new Promise((resolve, reject) => {
      const socket = connect({ host: normalizeAddress(remote.address), port: remote.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`TCP connect to ${remote.address}:${remote.port} timed out`));
      }, options.connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(adopt(socket));
      });
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', onError);
    });
  }

  function usable(id: string | undefined): Connection | undefined {
    const connection = id === undefined ? undefined : connections.get(id);
    return connection && !connection.socket.destroyed && connection.socket.writable ? connection : undefined;
  }

  async function send(data: Buffer, remote: Endpoint, connectionId?: string): Promise<void> {
    if (closed) throw new Error('TCP transport closed');
    const connection = usable(connectionId) ?? usable(byRemote.get(endpointKey(remote))) ?? (await open(remote));
    await new Promise<void>((resolve, reject) => connection.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const { socket } of connections.values()) socket.destroy();
    await done;
  }

  return { protocol: 'tcp', local, send, close };
}
