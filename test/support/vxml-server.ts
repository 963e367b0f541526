/**
 * Test helper: a tiny HTTP server on 127.0.0.1 that answers VoiceXML (or anything) per path, with the
 * request's parameters (query and form-urlencoded body merged), and records every request.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VxmlRequest {
  method: string;
  path: string;
  params: Record<string, string>;
}

export type VxmlRoute = (request: VxmlRequest) => string | { status: number; body: string } | Promise<string | { status: number; body: string }>;

export interface VxmlServer {
  url: string;
  requests: VxmlRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startVxmlServer(routes: Record<string, VxmlRoute>): Promise<VxmlServer> {
  const requests: VxmlRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      if (req.method === 'POST') Object.assign(params, Object.fromEntries(new URLSearchParams(await readBody(req))));
      const request = { method: req.method ?? 'GET', path: url.pathname, params };
      requests.push(request);
      const route = routes[url.pathname];
      const answer = route ? await route(request) : { status: 404, body: 'not found' };
      const { status, body } = typeof answer === 'string' ? { status: 200, body: answer } : answer;
      res.writeHead(status, { 'content-type': 'application/voicexml+xml; charset=utf-8' });
      res.end(body);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** A VoiceXML 2.1 document around some content (for hand-written test documents). */
export function vxml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml">${body}</vxml>`;
}
