/**
 * The SIP message model: requests and responses with an ordered, case-insensitive header list and a
 * raw body. Header values are stored unfolded and trimmed; typed views (Via, CSeq, name-addr…) are
 * parsed on demand by the modules named after them.
 */
import { canonicalHeaderName, headerKey, isListHeader } from './header-names.ts';
import { splitList } from './header-syntax.ts';

export interface HeaderField {
  /** Canonical name for known headers (compact forms expanded), as written otherwise. */
  name: string;
  value: string;
}

export class SipHeaders {
  private fields: Array<HeaderField & { key: string }> = [];

  constructor(fields: Iterable<HeaderField> = []) {
    for (const field of fields) this.append(field.name, field.value);
  }

  get size(): number {
    return this.fields.length;
  }

  /** The first header line of this name. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.fields.find((f) => f.key === key)?.value;
  }

  /** Every header line of this name, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    return this.fields.filter((f) => f.key === key).map((f) => f.value);
  }

  /** Every value of this name: header lines of list headers are split on commas outside quotes and <>. */
  values(name: string): string[] {
    const lines = this.getAll(name);
    return isListHeader(name) ? lines.flatMap(splitList) : lines;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  count(name: string): number {
    return this.getAll(name).length;
  }

  append(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    this.fields.push({ name: canonical, key: canonical.toLowerCase(), value });
    return this;
  }

  /** Inserts before every other header of the same name (a new top Via), or at the top. */
  prepend(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    const key = canonical.toLowerCase();
    const at = this.fields.findIndex((f) => f.key === key);
    this.fields.splice(at < 0 ? 0 : at, 0, { name: canonical, key, value });
    return this;
  }

  /** Replaces every header of this name with one line (in the place of the first), or appends it. */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const at = this.fields.findIndex((f) => f.key === key);
    if (at < 0) return this.append(name, value);
    this.fields[at]!.value = value;
    this.fields = this.fields.filter((f, i) => i === at || f.key !== key);
    return this;
  }

  /** Replaces the first value of a list header (the top Via), keeping the others on its line. */
  setFirstValue(name: string, value: string): this {
    const key = headerKey(name);
    const field = this.fields.find((f) => f.key === key);
    if (!field) return this.append(name, value);
    const rest = splitList(field.value).slice(1);
    field.value = [value, ...rest].join(', ');
    return this;
  }

  delete(name: string): this {
    const key = headerKey(name);
    this.fields = this.fields.filter((f) => f.key !== key);
    return this;
  }

  entries(): HeaderField[] {
    return this.fields.map(({ name, value }) => ({ name, value }));
  }

  clone(): SipHeaders {
    return new SipHeaders(this.entries());
  }
}

export interface SipRequest {
  kind: 'request';
  method: string;
  /** The Request-URI as written; `parseUri` gives its parts. */
  uri: string;
  /** `SIP/2.0` for every message this stack accepts. */
  version: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  version: string;
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';

export function createRequest(method: string, uri: string, headers: HeaderField[] = [], body: Buffer | string = ''): SipRequest {
  return { kind: 'request', method, uri, version: SIP_VERSION, headers: new SipHeaders(headers), body: toBody(body) };
}

export function toBody(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
