/**
 * Parsers for the small fixed-grammar headers: CSeq, Max-Forwards, Content-Length, Content-Type,
 * Accept, Date, Expires and option-tag lists (RFC 3261 §20, §25.1).
 */
import type { Params } from './header-syntax.ts';
import { isToken, parseParams, splitList } from './header-syntax.ts';

/** Largest CSeq sequence number: a 32-bit unsigned integer (§8.1.1.5). */
export const MAX_CSEQ = 2 ** 32 - 1;

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string): CSeq | undefined {
  const match = /^(\d{1,10})[ \t]+(\S+)$/.exec(value.trim());
  if (!match || !isToken(match[2]!)) return undefined;
  const seq = Number(match[1]);
  return seq <= MAX_CSEQ ? { seq, method: match[2]! } : undefined;
}

/** 0–255; a longer digit string (`0068`) is fine, a larger value is not. */
export function parseMaxForwards(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const hops = Number(text);
  return hops <= 255 ? hops : undefined;
}

export function parseContentLength(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const length = Number(text);
  return length <= 2 ** 31 - 1 ? length : undefined;
}

export interface MediaType {
  /** Lower-cased `type/subtype`; either part may be `*` in an Accept range. */
  type: string;
  subtype: string;
  params: Params;
}

export function parseMediaType(value: string): MediaType | undefined {
  const text = value.trim();
  const semi = text.indexOf(';');
  const main = (semi < 0 ? text : text.slice(0, semi)).trim();
  const match = /^([^\s/]+)[ \t]*\/[ \t]*([^\s/]+)$/.exec(main);
  if (!match || !isToken(match[1]!) || !isToken(match[2]!)) return undefined;
  const params = parseParams(semi < 0 ? '' : text.slice(semi));
  if (!params) return undefined;
  return { type: match[1]!.toLowerCase(), subtype: match[2]!.toLowerCase(), params };
}

/** Does an Accept header (all its lines) allow `type/subtype`? No Accept header at all means yes. */
export function accepts(acceptLines: string[], type: string, subtype: string): boolean {
  if (acceptLines.length === 0) return true;
  for (const range of acceptLines.flatMap(splitList)) {
    if (range === '') continue;
    const media = parseMediaType(range);
    if (!media) continue;
    const q = media.params.get('q');
    if (q !== undefined && q !== null && Number(q) === 0) continue;
    if ((media.type === '*' || media.type === type) && (media.subtype === '*' || media.subtype === subtype)) return true;
  }
  return false;
}

const WEEKDAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const RFC1123 = new RegExp(`^${WEEKDAY}, \\d{2} ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`);

/** SIP dates are RFC 1123 dates in GMT only (§20.17). */
export function isSipDate(value: string): boolean {
  return RFC1123.test(value.trim());
}

/** Delta-seconds; values beyond 2^32-1 are clamped as RFC 3261 §20.19 asks. */
export function parseExpires(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return undefined;
  return Math.min(Number(text), MAX_CSEQ);
}

/** The option tags of Require / Supported / Proxy-Require lines; undefined if one is not a token. */
export function parseOptionTags(lines: string[]): string[] | undefined {
  const tags = lines.flatMap(splitList).filter((tag) => tag !== '');
  return tags.every(isToken) ? tags : undefined;
}
