/**
 * Via header values (RFC 3261 §20.42, RFC 3581): sent protocol, sent-by, branch, received, rport.
 */
import type { Params } from './header-syntax.ts';
import { formatParams, isHost, isToken, paramText, parseParams } from './header-syntax.ts';

/** The prefix of branch ids of RFC 3261 clients (§8.1.1.7). */
export const MAGIC_COOKIE = 'z9hG4bK';

export interface Via {
  /** `SIP/2.0`. */
  protocol: string;
  /** Upper case: UDP, TCP, TLS, SCTP… */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

const SENT_PROTOCOL = /^([^\s/]+)[ \t]*\/[ \t]*([^\s/]+)[ \t]*\/[ \t]*([^\s/;]+)[ \t]+(.*)$/s;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

export function parseVia(value: string): Via | undefined {
  const match = SENT_PROTOCOL.exec(value.trim());
  if (!match) return undefined;
  const [, name = '', version = '', transport = '', rest = ''] = match;
  if (!isToken(name) || !isToken(version) || !isToken(transport)) return undefined;
  const semi = rest.indexOf(';');
  const sentBy = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  const hostPort = /^(\[[^\]]+\]|[^:\s]+)(?:[ \t]*:[ \t]*(\d{1,5}))?$/.exec(sentBy);
  if (!hostPort || !isHost(hostPort[1]!)) return undefined;
  const params = parseParams(semi < 0 ? '' : rest.slice(semi));
  if (!params || !validViaParams(params)) return undefined;
  const port = hostPort[2] === undefined ? undefined : Number(hostPort[2]);
  if (port !== undefined && port > 65535) return undefined;
  return {
    protocol: `${name.toUpperCase()}/${version}`,
    transport: transport.toUpperCase(),
    host: hostPort[1]!.toLowerCase(),
    ...(port !== undefined && { port }),
    params,
  };
}

function validViaParams(params: Params): boolean {
  const received = params.get('received');
  if (received !== undefined && (received === null || !IP.test(received))) return false;
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !/^\d{1,5}$/.test(rport)) return false;
  const ttl = params.get('ttl');
  if (ttl !== undefined && (ttl === null || !/^\d{1,3}$/.test(ttl))) return false;
  const branch = params.get('branch');
  return branch !== null;
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

export function branchOf(via: Via): string | undefined {
  return paramText(via.params, 'branch');
}

/** Does the branch follow RFC 3261 (magic cookie and something after it)? Otherwise match the RFC 2543 way. */
export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE) && branch.length > MAGIC_COOKIE.length;
}

/** `host:port` of the sent-by, with the transport's default port filled in. */
export function sentByKey(via: Via): string {
  return `${via.host}:${via.port ?? (via.transport === 'TLS' ? 5061 : 5060)}`;
}
