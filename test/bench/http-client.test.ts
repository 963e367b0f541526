import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '../../bench/support/http-client.ts';

/** The benchmarks' load generator, against a real Node HTTP server. */
describe('bench HTTP client', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<unknown>();
  const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> =
    [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      sockets.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/chunked') {
          res.write('héllo ');
          setTimeout(() => res.end('wörld'), 5);
        } else if (req.url === '/close') {
          res.setHeader('connection', 'close');
          res.end('bye');
        } else if (req.url === '/missing') {
          res.statusCode = 404;
          res.end('{"code":"not found"}');
        } else {
          res.setHeader('content-length', Buffer.byteLength(`echo ${body}`));
          res.end(`echo ${body}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a JSON body with its type and length, and reads a body framed by content-length', async () => {
    const r = await httpCall(`${base}/echo?x=1`, 'POST', { text: 'é' }, { authorization: 'Bearer k' });
    expect(r).toEqual({ status: 200, body: 'echo {"text":"é"}' });
    const seen = received.at(-1);
    expect(seen).toMatchObject({ method: 'POST', url: '/echo?x=1', body: '{"text":"é"}' });
    expect(seen?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': '13',
      authorization: 'Bearer k',
    });
  });

  it('sends a string body as a form', async () => {
    await httpCall(`${base}/form`, 'POST', 'message=hi&from=%2B1');
    expect(received.at(-1)).toMatchObject({
      body: 'message=hi&from=%2B1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  });

  it('reads a chunked body that arrives in several packets', async () => {
    expect(await httpCall(`${base}/chunked`, 'GET')).toEqual({ status: 200, body: 'héllo wörld' });
  });

  it('reads responses cut anywhere: in the head, in a chunk, between chunks, in a content-length body', async () => {
    const chunked = Buffer.from(
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n7\r\nhéllo \r\n6\r\nwörld\r\n0\r\n\r\n',
    );
    const sized = Buffer.from('HTTP/1.1 201 Created\r\nContent-Length: 6\r\n\r\nnöted');
    const open = new Set<Socket>();
    const raw = createTcpServer((socket) => {
      open.add(socket);
      let request = 0;
      socket.on('data', () => {
        const bytes = request++ === 0 ? chunked : sized;
        // one byte at a time, each in its own packet
        let at = 0;
        const next = () => {
          if (at >= bytes.length || socket.destroyed) return;
          socket.write(bytes.subarray(at, ++at));
          setTimeout(next, 0);
        };
        next();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
    try {
      expect(await httpCall(url, 'GET')).toEqual({ status: 200, body: 'héllo wörld' });
      expect(await httpCall(url, 'GET')).toEqual({ status: 201, body: 'nöted' });
    } finally {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('gives the status of an error response with its body', async () => {
    expect(await httpCall(`${base}/missing`, 'GET')).toEqual({ status: 404, body: '{"code":"not found"}' });
  });

  it('reuses one connection for calls made one after another', async () => {
    sockets.clear();
    for (let i = 0; i < 5; i++) await httpCall(`${base}/echo`, 'POST', { i });
    expect(sockets.size).toBe(1);
  });

  it('opens a connection per call in flight', async () => {
    sockets.clear();
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => httpCall(`${base}/echo`, 'POST', { i })),
    );
    expect(answers.map((a) => a.body)).toEqual([0, 1, 2, 3].map((i) => `echo {"i":${i}}`));
    expect(sockets.size).toBeGreaterThanOrEqual(2);
  });

  it('drops a connection the server closes and opens another for the next call', async () => {
    expect(await httpCall(`${base}/close`, 'GET')).toEqual({ status: 200, body: 'bye' });
    sockets.clear();
    expect((await httpCall(`${base}/echo`, 'POST', { after: 'close' })).body).toBe('echo {"after":"close"}');
    expect(sockets.size).toBe(1);
  });

  it('rejects when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(httpCall(`http://127.0.0.1:${port}/`, 'GET')).rejects.toThrow();
  });
});
