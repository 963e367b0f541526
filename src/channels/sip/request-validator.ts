/**
 * The grammar checks a message must pass before the transaction layer sees it (RFC 3261 §8.2, §16.3
 * and the invalid messages of RFC 4475 §3.1.2): a request that fails gets 400 (505 for another SIP
 * version), a response that fails is dropped.
 */
import type { HeaderField, SipRequest, SipResponse, SipHeaders } from './message.ts';
import { SIP_VERSION } from './message.ts';
import { SINGLE_VALUE_HEADERS } from './header-names.ts';
import { parseNameAddr } from './name-addr.ts';
import { isSipDate, parseCSeq, parseExpires, parseMaxForwards, parseMediaType, parseOptionTags } from './scalar-headers.ts';
import { isSipUri, parseUri } from './uri.ts';
import { parseVia } from './via.ts';

export interface Rejection {
  status: number;
  /** What is wrong, for logs and a Warning header; never holds message content. */
  detail: string;
  headers?: HeaderField[];
}

const REQUIRED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/** Checks shared by requests and responses; returns what is wrong, if anything. */
function commonProblem(headers: SipHeaders): string | undefined {
  for (const name of SINGLE_VALUE_HEADERS) if (headers.count(name) > 1) return `more than one ${name}`;
  for (const name of REQUIRED) if (!headers.has(name)) return `${name} missing`;
  const vias = headers.values('Via');
  if (vias.length === 0 || !vias.every((via) => parseVia(via) !== undefined)) return 'malformed Via';
  if (!parseCSeq(headers.get('CSeq')!)) return 'malformed CSeq';
  if (!parseNameAddr(headers.get('From')!)) return 'malformed From';
  if (!parseNameAddr(headers.get('To')!)) return 'malformed To';
  const callId = headers.get('Call-ID')!;
  if (callId === '' || /\s/.test(callId)) return 'malformed Call-ID';
  const contentType = headers.get('Content-Type');
  if (contentType !== undefined && !parseMediaType(contentType)) return 'malformed Content-Type';
  return undefined;
}

function addressProblem(headers: SipHeaders, method: string): string | undefined {
  const contacts = headers.values('Contact');
  if (contacts.includes('*') && (method !== 'REGISTER' || contacts.length > 1)) return 'malformed Contact';
  for (const contact of contacts) if (contact !== '*' && !parseNameAddr(contact)) return 'malformed Contact';
  for (const name of ['Route', 'Record-Route']) {
    if (!headers.values(name).every((value) => parseNameAddr(value) !== undefined)) return `malformed ${name}`;
  }
  return undefined;
}

export function validateRequest(request: SipRequest): Rejection | undefined {
  if (request.version !== SIP_VERSION) return { status: 505, detail: 'only SIP/2.0 is supported' };
  const { headers } = request;
  const problem = commonProblem(headers) ?? addressProblem(headers, request.method) ?? requestProblem(request);
  return problem === undefined ? undefined : { status: 400, detail: problem };
}

function requestProblem(request: SipRequest): string | undefined {
  const { headers } = request;
  if (parseCSeq(headers.get('CSeq')!)!.method !== request.method) return 'CSeq method does not match the request';
  const uri = parseUri(request.uri);
  if (!uri) return 'malformed Request-URI';
  if (isSipUri(uri) && uri.headers.size > 0) return 'headers in the Request-URI';
  const maxForwards = headers.get('Max-Forwards');
  if (maxForwards !== undefined && parseMaxForwards(maxForwards) === undefined) return 'malformed Max-Forwards';
  const date = headers.get('Date');
  if (date !== undefined && !isSipDate(date)) return 'malformed Date';
  const expires = headers.get('Expires');
  if (expires !== undefined && parseExpires(expires) === undefined) return 'malformed Expires';
  for (const name of ['Require', 'Proxy-Require', 'Supported']) {
    if (!parseOptionTags(headers.getAll(name))) return `malformed ${name}`;
  }
  if (request.body.length > 0 && !headers.has('Content-Type')) return 'body without Content-Type';
  return undefined;
}

/** Why a response must be dropped, if it must. */
export function responseProblem(response: SipResponse): string | undefined {
  return commonProblem(response.headers);
}
