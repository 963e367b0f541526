import type { IncomingCall } from '../sip/incoming-call.ts';
import type { NameAddr } from '../sip/name-addr.ts';
import { formatUri, isSipUri } from '../sip/uri.ts';
import { decodeUserToUser, type UserToUser } from './user-to-user.ts';

/**
 * What a call tells the bot, for its `session.` scope: the caller and called numbers (`session.from`,
 * `session.to`), and the SIP headers a contact center or carrier puts on the INVITE: every `X-` header
 * (`X-ContactID`…) and `User-to-User`, under `session.sip.headers` by their name as sent.
 */
export interface SipSessionValues {
  from: string;
  to: string;
  sip: {
    callId: string;
    requestUri: string;
    fromUri: string;
    toUri: string;
    displayName?: string;
    headers: Record<string, string>;
    /** The `User-to-User` header decoded (RFC 7433). */
    userToUser?: UserToUser;
  };
}

export function sessionValuesOf(call: Pick<IncomingCall, 'request' | 'callId' | 'from' | 'to'>): SipSessionValues {
  const headers: Record<string, string> = {};
  for (const { name, value } of call.request.headers.entries()) {
    if (!/^x-/i.test(name) && name.toLowerCase() !== 'user-to-user') continue;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const uuiHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'user-to-user')?.[1];
  const userToUser = uuiHeader ? decodeUserToUser(uuiHeader) : undefined;
  return {
    from: identity(call.from),
    to: identity(call.to),
    sip: {
      callId: call.callId,
      requestUri: call.request.uri,
      fromUri: formatUri(call.from.uri),
      toUri: formatUri(call.to.uri),
      ...(call.from.displayName ? { displayName: call.from.displayName } : {}),
      headers,
      ...(userToUser ? { userToUser } : {}),
    },
  };
}

/** The number or user of an address: `+15550100` of `sip:+15550100@carrier;user=phone`, `tel:` numbers as they are. */
export function identity(addr: NameAddr): string {
  const uri = addr.uri;
  if (isSipUri(uri)) return uri.user ?? uri.host;
  if ('number' in uri) return uri.number;
  return formatUri(uri);
}
