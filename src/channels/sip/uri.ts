/**
 * URIs in SIP messages (RFC 3261 §19.1, RFC 3966): `sip:`/`sips:` URIs with user, password, host,
 * port, parameters and headers (escapes decoded), `tel:` numbers, and any other absolute URI kept opaque.
 */
import type { Params } from './header-syntax.ts';
import { isHost } from './header-syntax.ts';

export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** Lower-cased; IPv6 references keep their brackets. */
  host: string;
  port?: number;
  /** URI parameters, names lower-cased, escapes decoded; `null` for a parameter without value. */
  params: Params;
  /** Header components (`?name=value&…`), escapes decoded. */
  headers: Map<string, string>;
}

export interface TelUri {
  scheme: 'tel';
  number: string;
  params: Params;
}

export interface OpaqueUri {
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | TelUri | OpaqueUri;

const SCHEME = /^([A-Za-z][A-Za-z0-9+\-.]*):/;
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const USER_CHARS = new RegExp(`^(?:[${UNRESERVED}&=+$,;?/]|%[0-9A-Fa-f]{2})+$`);
const PASSWORD_CHARS = new RegExp(`^(?:[${UNRESERVED}&=+$,]|%[0-9A-Fa-f]{2})*$`);
const PARAM_CHARS = new RegExp(`^(?:[${UNRESERVED}\\[\\]/:&+$]|%[0-9A-Fa-f]{2})+$`);
const HEADER_CHARS = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|%[0-9A-Fa-f]{2})*$`);
const TEL_NUMBER = /^\+?[0-9A-Fa-f*#\-.()]*[0-9A-Fa-f*#][0-9A-Fa-f*#\-.()]*$/;
const OPAQUE = /^[^\s<>"]+$/;

export function isSipUri(uri: Uri | undefined): uri is SipUri {
  return uri !== undefined && (uri.scheme === 'sip' || uri.scheme === 'sips');
}

/** Decodes %HH escapes as UTF-8 bytes (an escaped NUL stays a NUL character). */
export function unescapeUri(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes every byte of `text` that `allowed` does not match. */
export function escapeUri(text: string, allowed: RegExp): string {
  let out = '';
  for (const ch of text) {
    if (allowed.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const USER_SAFE = new RegExp(`^[${UNRESERVED}&=+$,;?/]$`);
const PASSWORD_SAFE = new RegExp(`^[${UNRESERVED}&=+$,]$`);
const PARAM_SAFE = new RegExp(`^[${UNRESERVED}\\[\\]/:&+$]$`);
const HEADER_SAFE = new RegExp(`^[${UNRESERVED}\\[\\]/?:+$]$`);

function parseHostPort(text: string): { host: string; port?: number } | undefined {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return undefined;
    host = text.slice(0, end + 1);
    const rest = text.slice(end + 1);
    if (rest !== '') {
      if (rest[0] !== ':') return undefined;
      portText = rest.slice(1);
    }
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  if (host === '' || !isHost(host)) return undefined;
  if (portText === undefined) return { host: host.toLowerCase() };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
  return { host: host.toLowerCase(), port: Number(portText) };
}

function parseUriParams(text: string): Params | undefined {
  const params: Params = new Map();
  if (text === '') return params;
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    if (!PARAM_CHARS.test(name)) return undefined;
    if (eq < 0) {
      params.set(unescapeUri(name).toLowerCase(), null);
      continue;
    }
    const value = piece.slice(eq + 1);
    if (!PARAM_CHARS.test(value)) return undefined;
    params.set(unescapeUri(name).toLowerCase(), unescapeUri(value));
  }
  return params;
}

function parseUriHeaders(text: string): Map<string, string> | undefined {
  const headers = new Map<string, string>();
  for (const piece of text.split('&')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return undefined;
    const name = piece.slice(0, eq);
    const value = piece.slice(eq + 1);
    if (!HEADER_CHARS.test(name) || !HEADER_CHARS.test(value)) return undefined;
    headers.set(unescapeUri(name), unescapeUri(value));
  }
  return headers;
}

function parseSipUri(scheme: 'sip' | 'sips', rest: string): SipUri | undefined {
  // '@' may not appear unescaped anywhere but at the end of the userinfo.
  const at = rest.indexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const userText = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (!USER_CHARS.test(userText)) return undefined;
    user = unescapeUri(userText);
    if (colon >= 0) {
      const passwordText = userinfo.slice(colon + 1);
      if (!PASSWORD_CHARS.test(passwordText)) return undefined;
      password = unescapeUri(passwordText);
    }
  }
  const afterUser = rest.slice(at + 1);
  const question = afterUser.indexOf('?');
  const beforeHeaders = question < 0 ? afterUser : afterUser.slice(0, question);
  const semi = beforeHeaders.indexOf(';');
  const hostPort = parseHostPort(semi < 0 ? beforeHeaders : beforeHeaders.slice(0, semi));
  if (!hostPort) return undefined;
  const params = parseUriParams(semi < 0 ? '' : beforeHeaders.slice(semi + 1));
  const headers = question < 0 ? new Map<string, string>() : parseUriHeaders(afterUser.slice(question + 1));
  if (!params || !headers) return undefined;
  return { scheme, ...(user !== undefined && { user }), ...(password !== undefined && { password }), ...hostPort, params, headers };
}

function parseTelUri(rest: string): TelUri | undefined {
  const [number = '', ...pieces] = rest.split(';');
  if (!TEL_NUMBER.test(number)) return undefined;
  const params = parseUriParams(pieces.join(';'));
  return params ? { scheme: 'tel', number, params } : undefined;
}

/** Parses a URI as it appears in a Request-URI or between `<` and `>`; undefined when malformed. */
export function parseUri(text: string): Uri | undefined {
  const match = SCHEME.exec(text);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  const rest = text.slice(match[0].length);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, rest);
  if (scheme === 'tel') return parseTelUri(rest);
  return rest !== '' && OPAQUE.test(rest) ? { scheme, opaque: rest } : undefined;
}

function formatUriParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) {
    out += `;${escapeUri(name, PARAM_SAFE)}`;
    if (value !== null) out += `=${escapeUri(value, PARAM_SAFE)}`;
  }
  return out;
}

export function formatUri(uri: Uri): string {
  if ('opaque' in uri) return `${uri.scheme}:${uri.opaque}`;
  if (uri.scheme === 'tel') return `tel:${uri.number}${formatUriParams(uri.params)}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    out += escapeUri(uri.user, USER_SAFE);
    if (uri.password !== undefined) out += `:${escapeUri(uri.password, PASSWORD_SAFE)}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += formatUriParams(uri.params);
  const headers = [...uri.headers].map(([n, v]) => `${escapeUri(n, HEADER_SAFE)}=${escapeUri(v, HEADER_SAFE)}`);
  if (headers.length > 0) out += `?${headers.join('&')}`;
  return out;
}
