/**
 * Word tables without a prototype: looking up a word the caller said must not find the properties every
 * object inherits ("constructor", "toString"), which would read "the constructor" as a number.
 */
export function lookup<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
