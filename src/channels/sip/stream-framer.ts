/**
 * Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), across partial reads.
 * CRLFs between messages are skipped; a double CRLF there is a keep-alive ping (RFC 5626 §3.5.1).
 * Memory is bounded by `maxMessageBytes`: a head or body that would exceed it is a framing error,
 * after which the stream cannot be resynchronised and the connection must be closed.
 */
import { parseContentLength } from './scalar-headers.ts';

export class FramingError extends Error {
  /** The header section, when it was complete: enough to answer a request with a 400. */
  readonly head: Buffer | undefined;

  constructor(message: string, head?: Buffer) {
    super(message);
    this.name = 'FramingError';
    this.head = head;
  }
}

export interface FramedChunk {
  messages: Buffer[];
  /** Keep-alive pings (CRLFCRLF) seen between messages; each deserves a CRLF pong. */
  pings: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  /** Where to resume looking for the end of the header section. */
  private scanFrom = 0;
  private failed = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes held while waiting for the rest of a message. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Feeds bytes; returns the complete messages. Throws FramingError when the stream is unusable. */
  push(chunk: Buffer): FramedChunk {
    if (this.failed) throw new FramingError('stream already failed');
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: Buffer[] = [];
    let pings = 0;
    for (;;) {
      pings += this.skipLeadingCrlf();
      if (this.buffer.length === 0) break;
      const headEnd = this.buffer.indexOf(CRLFCRLF, this.scanFrom);
      if (headEnd < 0) {
        if (this.buffer.length > this.maxMessageBytes) this.fail('header section too large');
        this.scanFrom = Math.max(0, this.buffer.length - 3);
        break;
      }
      const bodyStart = headEnd + 4;
      const head = this.buffer.subarray(0, headEnd);
      const length = this.contentLength(head);
      if (bodyStart + length > this.maxMessageBytes) this.fail('message too large', head);
      if (this.buffer.length < bodyStart + length) {
        this.scanFrom = headEnd;
        break;
      }
      messages.push(Buffer.from(this.buffer.subarray(0, bodyStart + length)));
      this.buffer = this.buffer.subarray(bodyStart + length);
      this.scanFrom = 0;
    }
    if (this.buffer.length === 0) this.buffer = Buffer.alloc(0);
    return { messages, pings };
  }

  private skipLeadingCrlf(): number {
    let pings = 0;
    let i = 0;
    while (this.buffer[i] === 0x0d && this.buffer[i + 1] === 0x0a) {
      if (this.buffer[i + 2] === 0x0d && this.buffer[i + 3] === 0x0a) {
        pings++;
        i += 4;
      } else i += 2;
    }
    if (i > 0) {
      this.buffer = this.buffer.subarray(i);
      this.scanFrom = 0;
    }
    return pings;
  }

  /** Content-Length is mandatory on streams (§20.14); only one, a non-negative integer. */
  private contentLength(head: Buffer): number {
    const lines = head.toString('latin1').split('\r\n');
    const values: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const match = /^(content-length|l)[ \t]*:(.*)$/i.exec(lines[i]!);
      if (!match) continue;
      let value = match[2]!;
      while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) value += ` ${lines[++i]!.trim()}`;
      values.push(value);
    }
    if (values.length === 0) this.fail('Content-Length missing on a stream', head);
    if (values.length > 1) this.fail('more than one Content-Length', head);
    const length = parseContentLength(values[0]!);
    if (length === undefined) this.fail('invalid Content-Length', head);
    return length;
  }

  private fail(message: string, head?: Buffer): never {
    this.failed = true;
    const copy = head ? Buffer.from(head) : undefined;
    this.buffer = Buffer.alloc(0);
    throw new FramingError(message, copy);
  }
}
