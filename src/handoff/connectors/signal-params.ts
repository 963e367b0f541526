/**
 * The parameters of a CXone-style signal: `p1` carries the session-history key (or `hangup`), `p2`…`p9` the
 * transfer node's custom data. Keys already named `p2`…`p9` keep their slot; other keys fill the free slots in
 * the order they were written. Values beyond eight are dropped (reported in `dropped`).
 */
export function signalParams(p1: string, customData: Record<string, unknown> = {}): { params: Record<string, string>; dropped: string[] } {
  const params: Record<string, string> = { p1 };
  const rest: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(customData)) {
    if (/^p[2-9]$/.test(key)) params[key] = stringValue(value);
    else if (key !== 'p1') rest.push([key, value]);
  }
  const dropped: string[] = [];
  for (const [key, value] of rest) {
    const free = ['p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].find((p) => !(p in params));
    if (!free) {
      dropped.push(key);
      continue;
    }
    params[free] = stringValue(value);
  }
  return { params, dropped };
}

function stringValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
