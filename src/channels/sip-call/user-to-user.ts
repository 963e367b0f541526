/**
 * The `User-to-User` header (RFC 7433): opaque data that travels with a call, hex-encoded, with the
 * `encoding`, `purpose` and `content` parameters. Parley puts the session-history key in it on a transfer,
 * as ISDN user-user information (protocol discriminator 0x04, IA5 characters; at most 128 octets), which
 * contact-center platforms pass through to the agent; and it decodes the one a caller's INVITE brings.
 */

export interface UserToUser {
  /** The data as text, when it is text (an ISDN IA5 discriminator stripped); else undefined. */
  text?: string;
  /** The data as hex, when it was hex-encoded. */
  hex?: string;
  encoding?: string;
  purpose?: string;
  content?: string;
}

/** ISDN UUI: protocol discriminator for IA5 (ASCII) characters. */
const IA5 = 0x04;
const MAX_OCTETS = 128;

/** A header value carrying `text` (ASCII, cut to fit) as ISDN user-user information. */
export function encodeUserToUser(text: string): string {
  const ascii = Buffer.from(text.replace(/[^\x20-\x7e]/g, '?'), 'ascii').subarray(0, MAX_OCTETS - 1);
  const data = Buffer.concat([Buffer.from([IA5]), ascii]).toString('hex').toUpperCase();
  return `${data};encoding=hex;purpose=isdn-interwork;content=isdn-uui`;
}

/** The parts of a `User-to-User` header value; undefined when it holds no data. */
export function decodeUserToUser(value: string): UserToUser | undefined {
  const [rawData = '', ...rawParams] = value.split(';');
  let data = rawData.trim();
  if (data.startsWith('"') && data.endsWith('"') && data.length >= 2) data = data.slice(1, -1);
  if (data === '') return undefined;
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
  }
  const out: UserToUser = {
    ...(params.encoding ? { encoding: params.encoding } : {}),
    ...(params.purpose ? { purpose: params.purpose } : {}),
    ...(params.content ? { content: params.content } : {}),
  };
  // RFC 7433 §4.1: without an encoding parameter the data is hex as well, when it can be.
  const hex = (params.encoding ?? 'hex').toLowerCase() === 'hex' && /^([0-9A-Fa-f]{2})+$/.test(data);
  if (!hex) return { ...out, text: data };
  let bytes = Buffer.from(data, 'hex');
  if (bytes[0] === IA5) bytes = bytes.subarray(1);
  const text = bytes.toString('latin1');
  return { ...out, hex: data.toUpperCase(), ...(/^[\x20-\x7e\t\r\n]*$/.test(text) ? { text } : {}) };
}
