/**
 * The checks a UAS core makes before acting on a well-formed request (RFC 3261 §8.2.1–§8.2.3, in that
 * order): method (405/501), Request-URI scheme (416), Require (420), body type and encoding (415), and
 * whether the caller accepts the body type of the answer (406).
 */
import type { SipRequest } from './message.ts';
import type { Rejection } from './request-validator.ts';
import { accepts, parseMediaType, parseOptionTags } from './scalar-headers.ts';
import { splitList } from './header-syntax.ts';
import { parseUri } from './uri.ts';

/** Methods defined by RFC 3261 and its extensions: not handling one of them is a 405, others a 501. */
const KNOWN_METHODS = new Set([
  'INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'PRACK', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER',
  'MESSAGE', 'PUBLISH',
]);

export interface UasPolicy {
  /** Methods this UAS handles; listed in Allow. */
  allowedMethods: readonly string[];
  /** Request-URI schemes served, lower case. */
  uriSchemes: readonly string[];
  /** Option tags (extensions) this UAS supports, for Require. */
  extensions: readonly string[];
  /** Body types accepted per method (`type/subtype`); a method not listed accepts any type. */
  bodyTypes: Readonly<Record<string, readonly string[]>>;
  /** Body type of the success response per method, checked against the request's Accept. */
  answerTypes: Readonly<Record<string, string>>;
}

export const DEFAULT_UAS_POLICY: UasPolicy = {
  allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'REFER', 'NOTIFY'],
  uriSchemes: ['sip', 'sips', 'tel'],
  extensions: [],
  bodyTypes: { INVITE: ['application/sdp'], NOTIFY: ['message/sipfrag'] },
  answerTypes: { INVITE: 'application/sdp' },
};

export function checkUasRequest(request: SipRequest, policy: UasPolicy = DEFAULT_UAS_POLICY): Rejection | undefined {
  const { method, headers } = request;
  const allow = [{ name: 'Allow', value: policy.allowedMethods.join(', ') }];
  if (!policy.allowedMethods.includes(method)) {
    return KNOWN_METHODS.has(method)
      ? { status: 405, detail: 'method not handled here', headers: allow }
      : { status: 501, detail: 'unknown method', headers: allow };
  }
  const scheme = parseUri(request.uri)?.scheme;
  if (scheme === undefined || !policy.uriSchemes.includes(scheme)) {
    return { status: 416, detail: 'unsupported Request-URI scheme' };
  }
  if (method !== 'ACK' && method !== 'CANCEL') {
    const required = parseOptionTags(headers.getAll('Require')) ?? [];
    const unsupported = required.filter((tag) => !policy.extensions.includes(tag));
    if (unsupported.length > 0) {
      return { status: 420, detail: 'unsupported extension required', headers: [{ name: 'Unsupported', value: unsupported.join(', ') }] };
    }
  }
  const bodyRejection = checkBody(request, policy);
  if (bodyRejection) return bodyRejection;
  const answerType = policy.answerTypes[method];
  if (answerType !== undefined) {
    const [type = '', subtype = ''] = answerType.split('/');
    if (!accepts(headers.getAll('Accept'), type, subtype)) {
      return { status: 406, detail: 'Accept excludes the answer type', headers: [{ name: 'Accept', value: answerType }] };
    }
  }
  return undefined;
}

function checkBody(request: SipRequest, policy: UasPolicy): Rejection | undefined {
  if (request.body.length === 0) return undefined;
  const encodings = request.headers.getAll('Content-Encoding').flatMap(splitList).map((e) => e.toLowerCase());
  if (encodings.some((encoding) => encoding !== 'identity')) {
    return { status: 415, detail: 'unsupported Content-Encoding', headers: [{ name: 'Accept-Encoding', value: 'identity' }] };
  }
  const allowed = policy.bodyTypes[request.method];
  if (allowed === undefined) return undefined;
  const media = parseMediaType(request.headers.get('Content-Type') ?? '');
  if (!media || !allowed.includes(`${media.type}/${media.subtype}`)) {
    return { status: 415, detail: 'unsupported body type', headers: [{ name: 'Accept', value: allowed.join(', ') }] };
  }
  return undefined;
}
