/**
 * Transaction identity (RFC 3261 §17.1.3, §17.2.3): the branch, sent-by and method for RFC 3261
 * branches; for older (RFC 2543) requests, Request-URI, From tag, Call-ID, CSeq number and top Via.
 * ACK and CANCEL are looked up under the INVITE they belong to.
 *
 * Server keys also hold the Call-ID and CSeq number, which a true retransmission (and the ACK or
 * CANCEL of an INVITE) always repeats: a client that reuses a branch id for a new request, as several
 * RFC 4475 messages do, then starts a new transaction instead of getting another request's response.
 */
import type { SipRequest, SipResponse } from './message.ts';
import { parseNameAddr, tagOf } from './name-addr.ts';
import { parseCSeq } from './scalar-headers.ts';
import type { Via } from './via.ts';
import { branchOf, isRfc3261Branch, parseVia, sentByKey } from './via.ts';

function topVia(message: SipRequest | SipResponse): Via | undefined {
  const top = message.headers.values('Via')[0];
  return top === undefined ? undefined : parseVia(top);
}

/**
 * The key of the server transaction a request belongs to; `asMethod` looks a request up under another
 * method (ACK and CANCEL under INVITE). Valid requests only (see `validateRequest`).
 */
export function serverTransactionKey(request: SipRequest, asMethod: string = request.method): string {
  const via = topVia(request)!;
  const method = asMethod === 'ACK' ? 'INVITE' : asMethod;
  const branch = branchOf(via);
  const callId = request.headers.get('Call-ID')!;
  const seq = parseCSeq(request.headers.get('CSeq')!)!.seq;
  if (isRfc3261Branch(branch)) return `3261|${branch}|${sentByKey(via)}|${method}|${callId}|${seq}`;
  const from = tagOf(parseNameAddr(request.headers.get('From')!)) ?? '';
  return `2543|${request.uri}|${from}|${callId}|${seq}|${sentByKey(via)}|${branch ?? ''}|${method}`;
}

/** The key of the client transaction a response belongs to: our branch and the CSeq method. */
export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
}

export function responseTransactionKey(response: SipResponse): string | undefined {
  const via = topVia(response);
  const branch = via ? branchOf(via) : undefined;
  const cseq = parseCSeq(response.headers.get('CSeq') ?? '');
  return branch === undefined || !cseq ? undefined : clientTransactionKey(branch, cseq.method);
}

/** The To tag of a message, '' when there is none. */
export function toTagOf(message: SipRequest | SipResponse): string {
  return tagOf(parseNameAddr(message.headers.get('To') ?? '')) ?? '';
}
