/**
 * The status line of a `message/sipfrag` body (RFC 3420), as NOTIFYs of a REFER carry it (RFC 3515 §2.4.5).
 */

export interface SipfragStatus {
  status: number;
  reason: string;
}

export function parseSipfragStatus(body: Buffer | string): SipfragStatus | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const firstLine = text.replace(/^\s+/, '').split(/\r?\n/, 1)[0] ?? '';
  const match = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/i.exec(firstLine.trimEnd());
  return match ? { status: Number(match[1]), reason: match[2] ?? '' } : undefined;
}
