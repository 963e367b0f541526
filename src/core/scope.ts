import type { Variables } from './state.ts';

export const scopes = ['session', 'user', 'bot', 'entities'] as const;
export type Scope = (typeof scopes)[number];

/** Reads a dotted path (`session.ivr.from`, `entities.amount.amount`, `intent`) from the variables. */
export function lookupIn(vars: Variables, extra: Record<string, unknown>, path: string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  let cur: unknown = (scopes as readonly string[]).includes(head) ? vars[head as Scope] : extra[head];
  for (const key of rest) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Splits `scope.name.more` into the scope and the rest; a bare name means `session`. */
export function splitVariable(variable: string): { scope: Scope; path: string[] } {
  const parts = variable.split('.');
  const head = parts[0] as string;
  if ((scopes as readonly string[]).includes(head) && parts.length > 1) {
    return { scope: head as Scope, path: parts.slice(1) };
  }
  return { scope: 'session', path: parts };
}

export function assignIn(vars: Variables, variable: string, value: unknown): { scope: Scope; name: string } {
  const { scope, path } = splitVariable(variable);
  let cur = vars[scope];
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object') cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
  return { scope, name: path.join('.') };
}
