import { connect, type Socket } from 'node:net';

/** A response as the benchmarks read it. */
export interface HttpResponse {
  status: number;
  body: string;
}

/**
 * One HTTP request over a pool of keep-alive connections; resolves with the status and body.
 *
 * The load generator shares this 2-core machine with the server it measures, so what it costs is taken from
 * the server: Node's `http` client spent some 300 µs of CPU per request here (a request object, its events,
 * the parser's callbacks), and at 1,500 paced requests a second it kept half a core busy, in the run queue
 * next to the server's event loop. This client writes the request as one string and reads only the status
 * line, `content-length` or chunked framing, and the body: HTTP/1.1 as servers send it, nothing more.
 */
export function httpCall(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const target = new URL(url);
  const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  let head = `${method} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n`;
  if (data !== undefined) {
    const type = typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
    head += `content-type: ${type}\r\ncontent-length: ${Buffer.byteLength(data)}\r\n`;
  }
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  const origin = `${target.hostname}:${target.port || '80'}`;
  const connection =
    idle.get(origin)?.pop() ?? new Connection(target.hostname, Number(target.port || 80), origin);
  return connection.send(`${head}\r\n${data ?? ''}`);
}

/** Idle keep-alive connections by `host:port`. */
const idle = new Map<string, Connection[]>();

class Connection {
  readonly #socket: Socket;
  readonly #origin: string;
  #buffer: Buffer | undefined;
  #pending: { resolve: (r: HttpResponse) => void; reject: (e: Error) => void } | undefined;
  #closed = false;

  constructor(host: string, port: number, origin: string) {
    this.#origin = origin;
    this.#socket = connect({ host, port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', (error) => this.#close(error));
    this.#socket.on('close', () => this.#close(new Error(`connection to ${origin} closed`)));
  }

  send(request: string): Promise<HttpResponse> {
    if (this.#closed) return Promise.reject(new Error(`connection to ${this.#origin} closed`));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(request);
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer === undefined ? chunk : Buffer.concat([this.#buffer, chunk]);
    const parsed = parseResponse(this.#buffer);
    if (parsed === undefined) return;
    this.#buffer = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    if (parsed.close) this.#socket.destroy();
    else {
      const list = idle.get(this.#origin);
      if (list) list.push(this);
      else idle.set(this.#origin, [this]);
    }
    pending?.resolve({ status: parsed.status, body: parsed.body });
  }

  #close(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    const list = idle.get(this.#origin);
    const at = list?.indexOf(this) ?? -1;
    if (at >= 0) list?.splice(at, 1);
    this.#pending?.reject(error);
    this.#pending = undefined;
    this.#socket.destroy();
  }
}

const headerEnd = Buffer.from('\r\n\r\n');

/** The response at the start of `buffer` once it is complete, else undefined. */
function parseResponse(buffer: Buffer): (HttpResponse & { close: boolean }) | undefined {
  const end = buffer.indexOf(headerEnd);
  if (end < 0) return undefined;
  const head = buffer.toString('latin1', 0, end).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection: *close/.test(head);
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  const start = end + headerEnd.length;
  if (length) {
    const size = Number(length[1]);
    if (buffer.length < start + size) return undefined;
    return { status, body: buffer.toString('utf8', start, start + size), close };
  }
  if (/\r\ntransfer-encoding: *chunked/.test(head)) {
    const body = dechunk(buffer, start);
    return body === undefined ? undefined : { status, body, close };
  }
  // no body framing: a bodiless status (204, 304) or one ended by closing, which the benchmarks do not use
  return { status, body: '', close };
}

/** The body of a chunked response starting at `offset`, once its last chunk has arrived. */
function dechunk(buffer: Buffer, offset: number): string | undefined {
  const parts: Buffer[] = [];
  let at = offset;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (size === 0)
      return buffer.indexOf('\r\n', lineEnd + 2) < 0 ? undefined : Buffer.concat(parts).toString('utf8');
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
