/**
 * VoiceXML variable scopes: session → application → document → dialog → anonymous (handlers, blocks),
 * each a chain link. A scope's variables live in a null-prototype object, so `document.x` and
 * `dialog.x` work as member access on the scope itself.
 */
import { ExpressionError, evaluate, getMember } from './expression.ts';

export type ScopeName = 'session' | 'application' | 'document' | 'dialog' | 'anonymous';
const NAMED: ReadonlySet<string> = new Set(['session', 'application', 'document', 'dialog']);

export class Scope {
  readonly vars: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

  constructor(
    readonly name: ScopeName,
    readonly parent?: Scope,
  ) {}

  child(name: ScopeName): Scope {
    return new Scope(name, this);
  }

  declare(name: string, value: unknown): void {
    this.vars[name] = value;
  }

  private find(name: string): Scope | undefined {
    if (Object.hasOwn(this.vars, name)) return this;
    return this.parent?.find(name);
  }

  private named(name: string): Scope | undefined {
    return this.name === name ? this : this.parent?.named(name);
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The value of a variable (or of a scope name: `document`, `dialog`…). */
  resolve(name: string): unknown {
    const holder = this.find(name);
    if (holder) return holder.vars[name];
    if (NAMED.has(name)) {
      const scope = this.named(name);
      if (scope) return scope.vars;
    }
    throw new ExpressionError(`${name} is not declared`);
  }

  evaluate(expr: string): unknown {
    return evaluate(expr, (n) => this.resolve(n));
  }

  /**
   * `<assign name="a.b.c">`: the first part names a declared variable (or a scope), the rest are
   * properties of plain objects.
   */
  assign(path: string, value: unknown): void {
    const parts = path.split('.').map((p) => p.trim());
    const [first, ...rest] = parts;
    if (!first) throw new ExpressionError(`cannot assign to "${path}"`);
    if (rest.length === 0) {
      const holder = this.find(first);
      if (!holder) throw new ExpressionError(`${first} is not declared`);
      holder.vars[first] = value;
      return;
    }
    let target: unknown = this.resolve(first);
    for (const part of rest.slice(0, -1)) target = getMember(target, part);
    const last = rest[rest.length - 1] ?? '';
    if (target === null || typeof target !== 'object' || Array.isArray(target)) throw new ExpressionError(`cannot set ${last} on ${path}`);
    if (last === '__proto__' || last === 'constructor' || last === 'prototype') throw new ExpressionError(`cannot set ${last}`);
    (target as Record<string, unknown>)[last] = value;
  }
}
