/**
 * Address header values (From, To, Contact, Route, Record-Route, Refer-To…): `name-addr` with an
 * optional display name, or a bare `addr-spec`, followed by header parameters (RFC 3261 §20.10, §25.1).
 */
import type { Params } from './header-syntax.ts';
import { formatParams, isToken, isWhitespace, endOfQuoted, parseParams, paramText, quote, unquote } from './header-syntax.ts';
import type { Uri } from './uri.ts';
import { formatUri, parseUri } from './uri.ts';

export interface NameAddr {
  displayName?: string;
  uri: Uri;
  /** The URI as written in the message, for comparisons that must not depend on re-formatting. */
  uriText: string;
  params: Params;
}

/** Parses one address value; undefined when it is malformed. */
export function parseNameAddr(value: string): NameAddr | undefined {
  const text = value.trim();
  let displayName: string | undefined;
  let i = 0;
  if (text[0] === '"') {
    const end = endOfQuoted(text, 0);
    if (end < 0) return undefined;
    displayName = unquote(text.slice(0, end));
    i = end;
    while (isWhitespace(text[i])) i++;
    if (text[i] !== '<') return undefined;
  } else {
    const lt = text.indexOf('<');
    if (lt < 0) return parseAddrSpec(text);
    const words = text.slice(0, lt).trim();
    if (words !== '') {
      if (!words.split(/[ \t]+/).every(isToken)) return undefined;
      displayName = words;
    }
    i = lt;
  }
  const gt = text.indexOf('>', i);
  if (gt < 0) return undefined;
  const uriText = text.slice(i + 1, gt);
  const uri = parseUri(uriText);
  const params = parseParams(text.slice(gt + 1));
  if (!uri || !params) return undefined;
  return { ...(displayName !== undefined && { displayName }), uri, uriText, params };
}

/** A bare URI: it ends at the first `;` and may not hold `,`, `?` or `;` of its own (RFC 3261 §20). */
function parseAddrSpec(text: string): NameAddr | undefined {
  const semi = text.indexOf(';');
  const uriText = (semi < 0 ? text : text.slice(0, semi)).trim();
  if (/[,?\s]/.test(uriText)) return undefined;
  const uri = parseUri(uriText);
  const params = parseParams(semi < 0 ? '' : text.slice(semi));
  if (!uri || !params) return undefined;
  return { uri, uriText, params };
}

export function formatNameAddr(addr: { displayName?: string; uri: Uri; params?: Params }): string {
  const name = addr.displayName === undefined ? '' : `${quote(addr.displayName)} `;
  return `${name}<${formatUri(addr.uri)}>${addr.params ? formatParams(addr.params) : ''}`;
}

export function tagOf(addr: NameAddr | undefined): string | undefined {
  return addr ? paramText(addr.params, 'tag') : undefined;
}
