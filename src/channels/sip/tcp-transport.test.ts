import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flow, SipTransport, TransportListener } from './transport.ts';
import { DEFAULT_TCP_OPTIONS, openTcpTransport } from './tcp-transport.ts';

const OPTIONS = (callId: string): string =>
  `OPTIONS sip:bank@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK${callId}\r\nCall-ID: ${callId}\r\nContent-Length: 0\r\n\r\n`;

let transport: SipTransport | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await transport?.close();
  transport = undefined;
});

function recorder() {
  const messages: Array<{ text: string; flow: Flow }> = [];
  const errors: Array<{ reason: string; head: string | undefined }> = [];
  const listener: TransportListener = {
    onMessage: (data, flow) => messages.push({ text: data.toString(), flow }),
    onFramingError: (reason, head, flow) => {
      errors.push({ reason, head: head?.toString() });
      void transport?.send(Buffer.from('SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n'), flow.remote, flow.connectionId);
    },
    onError: () => undefined,
  };
  return { messages, errors, listener };
}

async function client(port: number): Promise<{ socket: Socket; data: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, data: () => text, closed };
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('TCP transport', () => {
  it('frames messages split across writes and replies over the same connection', async () => {
    const { messages, listener } = recorder();
    transport = await openTcpTransport('127.0.0.1', 0, listener);
    const peer = await client(transport.local.port);
    const bytes = OPTIONS('split-1') + OPTIONS('split-2');
    for (let i = 0; i < bytes.length; i += 7) {
      peer.socket.write(bytes.slice(i, i + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => messages.length === 2);
    expect(messages.map((m) => /Call-ID: (\S+)/.exec(m.text)![1])).toEqual(['split-1', 'split-2']);
    const flow = messages[0]!.flow;
    await transport.send(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), flow.remote, flow.connectionId);
    await until(() => peer.data().includes('200 OK'));
  });

  it('reuses an inbound connection for requests to that endpoint, and answers keep-alive pings', async () => {
    const { messages, listener } = recorder();
    transport = await openTcpTransport('127.0.0.1', 0, listener);
    const peer = await client(transport.local.port);
    peer.socket.write('\r\n\r\n' + OPTIONS('reuse'));
    await until(() => messages.length === 1);
    await transport.send(Buffer.from(OPTIONS('back')), messages[0]!.flow.remote);
    await until(() => peer.data().includes('Call-ID: back'));
    expect(peer.data().startsWith('\r\n')).toBe(true);
  });

  it('answers a framing error and closes that connection only', async () => {
    const { errors, messages, listener } = recorder();
    transport = await openTcpTransport('127.0.0.1', 0, listener);
    const bad = await client(transport.local.port);
    const good = await client(transport.local.port);
    bad.socket.write('INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\nContent-Length: -999\r\n\r\nv=0');
    await bad.closed;
    expect(bad.data()).toContain('400 Bad Request');
    expect(errors).toEqual([{ reason: 'invalid Content-Length', head: 'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\nContent-Length: -999' }]);
    good.socket.write(OPTIONS('still-fine'));
    await until(() => messages.length === 1);
  });

  it('opens an outgoing connection when there is none, and closes cleanly', async () => {
    const far = recorder();
    const farTransport = await openTcpTransport('127.0.0.1', 0, far.listener);
    try {
      transport = await openTcpTransport('127.0.0.1', 0, recorder().listener);
      await transport.send(Buffer.from(OPTIONS('outbound')), farTransport.local);
      await until(() => far.messages.length === 1);
    } finally {
      await farTransport.close();
    }
  });

  it('closes idle connections', async () => {
    transport = await openTcpTransport('127.0.0.1', 0, recorder().listener, { ...DEFAULT_TCP_OPTIONS, idleTimeoutMs: 50 });
    const peer = await client(transport.local.port);
    await peer.closed;
  });
});
