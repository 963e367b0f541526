/**
 * SIP header names: compact forms (RFC 3261 §7.3.3 and later RFCs), canonical spelling, and which
 * headers hold comma-separated lists or must appear at most once.
 */

const COMPACT: Record<string, string> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

const KNOWN = [
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Error-Info',
  'Expires',
  'From',
  'In-Reply-To',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Organization',
  'Priority',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'Record-Route',
  'Reply-To',
  'Require',
  'Retry-After',
  'Route',
  'Server',
  'Subject',
  'Supported',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
  'Event',
  'Allow-Events',
  'Subscription-State',
  'Refer-To',
  'Referred-By',
  'Replaces',
  'Session-Expires',
  'Min-SE',
  'RSeq',
  'RAck',
  'Reason',
  'P-Asserted-Identity',
  'Identity',
  'Identity-Info',
];

const CANONICAL = new Map<string, string>(KNOWN.map((name) => [name.toLowerCase(), name]));

/** Headers whose value is a comma-separated list that may also be split over several header lines. */
const LIST_HEADERS = new Set(
  [
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Call-Info',
    'Contact',
    'Content-Encoding',
    'Content-Language',
    'Error-Info',
    'In-Reply-To',
    'Proxy-Require',
    'Record-Route',
    'Require',
    'Route',
    'Supported',
    'Unsupported',
    'Via',
    'Warning',
    'P-Asserted-Identity',
  ].map((name) => name.toLowerCase()),
);

/** Headers a request may carry at most once (a second copy makes the message invalid). */
export const SINGLE_VALUE_HEADERS = ['Call-ID', 'CSeq', 'From', 'To', 'Max-Forwards', 'Content-Length', 'Content-Type'];

/** The canonical spelling of a header name: compact forms expanded, known names in their RFC case. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) {
    const full = COMPACT[lower];
    if (full) return full;
  }
  return CANONICAL.get(lower) ?? name;
}

/** The key headers are compared by: canonical name in lower case. */
export function headerKey(name: string): string {
  return canonicalHeaderName(name).toLowerCase();
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}
