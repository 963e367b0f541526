import { describe, expect, it } from 'vitest';
import { FramingError, SipStreamFramer } from './stream-framer.ts';

const message = (body: string, extra = ''): string =>
  `OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('SipStreamFramer', () => {
  it('cuts back-to-back messages by Content-Length', () => {
    const framer = new SipStreamFramer(65_535);
    const { messages } = framer.push(Buffer.from(message('hello') + message('') + message('bye')));
    expect(messages.map((m) => m.toString().split('\r\n\r\n')[1])).toEqual(['hello', '', 'bye']);
  });

  it('waits across partial reads, one byte at a time if need be', () => {
    const framer = new SipStreamFramer(65_535);
    const bytes = Buffer.from(message('héllo wörld', 'l-ish: not a length\r\n'));
    const out: Buffer[] = [];
    for (const byte of bytes) out.push(...framer.push(Buffer.from([byte])).messages);
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(bytes)).toBe(true);
    expect(framer.buffered).toBe(0);
  });

  it('skips CRLFs between messages and counts CRLFCRLF keep-alive pings', () => {
    const framer = new SipStreamFramer(65_535);
    const result = framer.push(Buffer.from(`\r\n\r\n${message('a')}\r\n${message('b')}`));
    expect(result.pings).toBe(1);
    expect(result.messages).toHaveLength(2);
  });

  it('accepts folded and compact Content-Length', () => {
    const framer = new SipStreamFramer(65_535);
    const { messages } = framer.push(Buffer.from('BYE sip:a@b SIP/2.0\r\nl:\r\n 3\r\n\r\nabc'));
    expect(messages[0]!.toString().endsWith('abc')).toBe(true);
  });

  it('fails, keeping the head for a 400, on a missing, negative or repeated Content-Length', () => {
    for (const head of ['INVITE sip:a@b SIP/2.0\r\nVia: x', 'INVITE sip:a@b SIP/2.0\r\nContent-Length: -999', 'INVITE sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2']) {
      const framer = new SipStreamFramer(65_535);
      try {
        framer.push(Buffer.from(`${head}\r\n\r\nbody`));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(FramingError);
        expect((error as FramingError).head?.toString()).toBe(head);
      }
      expect(() => framer.push(Buffer.from('more'))).toThrow(FramingError);
    }
  });

  it('bounds what it holds: an endless header section or a huge Content-Length fails', () => {
    const endless = new SipStreamFramer(1_000);
    expect(() => {
      for (let i = 0; i < 100; i++) endless.push(Buffer.from('X-Filler: aaaaaaaaaaaaaaaaaaaa\r\n'));
    }).toThrow('header section too large');
    expect(endless.buffered).toBe(0);
    const huge = new SipStreamFramer(1_000);
    expect(() => huge.push(Buffer.from('INVITE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n'))).toThrow('message too large');
  });
});
