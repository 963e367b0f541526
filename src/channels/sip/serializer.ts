/**
 * Writes a SIP message to bytes. Content-Length is always written and always matches the body.
 */
import type { SipMessage } from './message.ts';

export function serializeMessage(message: SipMessage): Buffer {
  const startLine =
    message.kind === 'request'
      ? `${message.method} ${message.uri} ${message.version}`
      : `${message.version} ${message.status} ${message.reason}`;
  let head = `${startLine}\r\n`;
  for (const { name, value } of message.headers.entries()) {
    if (name === 'Content-Length') continue;
    head += `${name}: ${value}\r\n`;
  }
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), message.body]);
}
