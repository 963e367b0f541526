/**
 * SIP over UDP (node:dgram): one datagram is one message.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Endpoint, SipTransport, TransportListener } from './transport.ts';
import { normalizeAddress } from './transport.ts';

export async function openUdpTransport(host: string, port: number, listener: TransportListener): Promise<SipTransport> {
  const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const bound = socket.address();
  const local: Endpoint = { address: bound.address, port: bound.port };
  socket.on('error', (error) => listener.onError(error));
  socket.on('message', (data, remote) => {
    listener.onMessage(data, { protocol: 'udp', local, remote: { address: normalizeAddress(remote.address), port: remote.port } });
  });
  let closed = false;
  return {
    protocol: 'udp',
    local,
    send: (data, remote) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('UDP transport closed'));
        socket.send(data, remote.port, normalizeAddress(remote.address), (error) => (error ? reject(error) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
}
