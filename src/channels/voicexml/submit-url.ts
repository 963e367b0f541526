/**
 * The URL a document submits to: the webhook URL as the IVR called it, with the `session` parameter set to
 * the conversation's reference (any earlier one removed), or without it when there is none (a failure
 * document). Built with string operations rather than
 * `URL`/`URLSearchParams`, which re-encode every parameter and cost more than the rest of the URL work of a
 * turn; the other parameters (the IVR's token) are kept exactly as they came. A path stays a path (the IVR
 * resolves it against the document's URL); a fragment is dropped, as a submit never sends one.
 */
export function submitUrl(hookUrl: string, param: string, value: string | undefined): string {
  const hash = hookUrl.indexOf('#');
  const withoutFragment = hash >= 0 ? hookUrl.slice(0, hash) : hookUrl;
  const q = withoutFragment.indexOf('?');
  const path = q >= 0 ? withoutFragment.slice(0, q) : withoutFragment;
  const kept = q >= 0 ? withoutFragment.slice(q + 1).split('&').filter((part) => part !== '' && parameterName(part) !== param) : [];
  if (value !== undefined) kept.push(`${encodeURIComponent(param)}=${encodeURIComponent(value)}`);
  return kept.length > 0 ? `${path}?${kept.join('&')}` : path;
}

/** The decoded name of one `name=value` part of a query (as a form decoder reads it: `+` is a space). */
function parameterName(part: string): string {
  const eq = part.indexOf('=');
  const raw = (eq >= 0 ? part.slice(0, eq) : part).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
