/**
 * Lexical helpers shared by the header parsers (RFC 3261 §25.1): tokens, quoted strings, lists split on
 * commas outside quotes and angle brackets, and `;name=value` parameter lists.
 */

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._]+)$/;
const WS = /[ \t]/;

/** Parameters of a header value or URI: lower-cased names, values as written (`null` for a bare name). */
export type Params = Map<string, string | null>;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

export function isHost(text: string): boolean {
  return HOST.test(text);
}

export function isWhitespace(ch: string | undefined): boolean {
  return ch !== undefined && WS.test(ch);
}

/**
 * The index just past the closing quote of the quoted string starting at `start` (which holds `"`),
 * or -1 when it is not closed. Backslash escapes the next character (quoted-pair).
 */
export function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i + 1;
  }
  return -1;
}

/** The content of a quoted string with quoted-pairs resolved, or undefined when it is not one. */
export function unquote(text: string): string | undefined {
  if (text.length < 2 || text[0] !== '"' || endOfQuoted(text, 0) !== text.length) return undefined;
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      i++;
      out += text[i] ?? '';
    } else out += ch;
  }
  return out;
}

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * Splits `text` on `separator` where it stands outside quoted strings and `<...>`. Elements are trimmed;
 * empty elements are kept so that callers can reject them. Returns undefined on an unclosed quote.
 */
export function splitOutside(text: string, separator: ',' | ';'): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = endOfQuoted(text, i);
      if (end < 0) return undefined;
      i = end - 1;
    } else if (ch === '<') depth++;
    else if (ch === '>' && depth > 0) depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(text.slice(from).trim());
  return parts;
}

/** Splits a list header value on commas outside quotes and angle brackets. */
export function splitList(text: string): string[] {
  return splitOutside(text, ',') ?? [text.trim()];
}

const IPV6 = /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/;

/** gen-value = token / host / quoted-string; bare IPv6 addresses too (Via `received`). */
function isGenValue(value: string): boolean {
  return isToken(value) || isHost(value) || IPV6.test(value) || unquote(value) !== undefined;
}

/**
 * Parses `;name[=value]` pairs (the text must be empty or start with `;`, whitespace allowed around
 * `;` and `=`). Returns undefined on any malformed or empty parameter.
 */
export function parseParams(text: string): Params | undefined {
  const params: Params = new Map();
  const trimmed = text.trim();
  if (trimmed === '') return params;
  if (trimmed[0] !== ';') return undefined;
  const pieces = splitOutside(trimmed.slice(1), ';');
  if (!pieces) return undefined;
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim();
    if (!isToken(name)) return undefined;
    if (eq < 0) {
      params.set(name.toLowerCase(), null);
      continue;
    }
    const value = piece.slice(eq + 1).trim();
    if (!isGenValue(value)) return undefined;
    params.set(name.toLowerCase(), value);
  }
  return params;
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** A parameter's value with quotes removed (quoted strings) or as written (tokens). */
export function paramText(params: Params, name: string): string | undefined {
  const value = params.get(name);
  if (value === undefined || value === null) return undefined;
  return unquote(value) ?? value;
}
