/**
 * PostgreSQL rejects NUL characters in text and JSON, and lone UTF-16 surrogates in JSON; SQLite would keep
 * them. Both dialects store U+FFFD in their place, so a chat message carrying such characters is saved the
 * same way everywhere instead of failing on one database. Strings without them pass through untouched.
 */

const replacement = '\uFFFD';
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const maybeUnstorable = /[\0\uD800-\uDFFF]/;
/** JSON.stringify writes NUL as \u0000 and lone surrogates as \udXXX (lowercase); valid pairs stay raw. */
const maybeUnstorableJson = /\\u(?:0000|d[89a-f])/;

export function storableText(text: string): string {
  if (!maybeUnstorable.test(text)) return text;
  return text.replaceAll('\0', replacement).replace(loneSurrogate, replacement);
}

/** JSON text of `value` that both databases accept. */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!maybeUnstorableJson.test(json)) return json;
  return JSON.stringify(storableValue(value));
}

function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value !== 'object' || value === null) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return storableValue(toJSON.call(value));
  if (Array.isArray(value)) return value.map(storableValue);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[storableText(key)] = storableValue(item);
  return copy;
}
