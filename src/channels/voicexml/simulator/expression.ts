/**
 * The small ECMAScript subset the simulator evaluates in `expr` and `cond` attributes: literals (strings,
 * numbers, booleans, null, undefined), variables, member access (`a.b`, `a['b']`), `!`, unary `-`,
 * `typeof`, arithmetic, comparison, `==`/`!=`/`===`/`!==`, `&&`, `||` and `?:`. No calls, no `new`, no
 * assignment, and member access reads own properties only: nothing of the host can be reached.
 */

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

const OPERATORS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', '.', '?', ':'];

function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start];
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === quote) return { value: out, end: i + 1 };
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      out += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[n] ?? n;
      i += 2;
      continue;
    }
    out += c;
    i += 1;
  }
  throw new ExpressionError('unterminated string');
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"') {
      const s = readString(src, i);
      tokens.push({ t: 'str', v: s.value });
      i = s.end;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      tokens.push({ t: 'num', v: Number(text) });
      i += text.length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      tokens.push({ t: 'id', v: text });
      i += text.length;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new ExpressionError(`unexpected character ${c}`);
      tokens.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  tokens.push({ t: 'end' });
  return tokens;
}

export type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'var'; name: string }
  | { k: 'member'; obj: Node; prop: Node }
  | { k: 'unary'; op: string; arg: Node }
  | { k: 'binary'; op: string; left: Node; right: Node }
  | { k: 'cond'; test: Node; then: Node; else: Node };

const BINARY_LEVELS: string[][] = [['||'], ['&&'], ['==', '!=', '===', '!=='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
const UNSUPPORTED_WORDS = new Set(['new', 'function', 'delete', 'void', 'in', 'instanceof', 'this', 'var', 'let', 'const', 'class', 'import']);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { t: 'end' };
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new ExpressionError(`expected ${v}`);
    this.pos += 1;
  }

  parseAll(): Node {
    const node = this.conditional();
    if (this.peek().t !== 'end') throw new ExpressionError(this.isOp('(') ? 'function calls are not supported' : 'unexpected input after the expression');
    return node;
  }

  private conditional(): Node {
    const test = this.binary(0);
    if (!this.isOp('?')) return test;
    this.pos += 1;
    const then = this.conditional();
    this.expectOp(':');
    return { k: 'cond', test, then, else: this.conditional() };
  }

  private binary(level: number): Node {
    const ops = BINARY_LEVELS[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !ops.includes(t.v)) return left;
      this.pos += 1;
      left = { k: 'binary', op: t.v, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Node {
    const t = this.peek();
    if (t.t === 'op' && (t.v === '!' || t.v === '-' || t.v === '+')) {
      this.pos += 1;
      return { k: 'unary', op: t.v, arg: this.unary() };
    }
    if (t.t === 'id' && t.v === 'typeof') {
      this.pos += 1;
      return { k: 'unary', op: 'typeof', arg: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.pos += 1;
        const t = this.peek();
        if (t.t !== 'id') throw new ExpressionError('expected a property name after .');
        this.pos += 1;
        node = { k: 'member', obj: node, prop: { k: 'lit', v: t.v } };
      } else if (this.isOp('[')) {
        this.pos += 1;
        const prop = this.conditional();
        this.expectOp(']');
        node = { k: 'member', obj: node, prop };
      } else if (this.isOp('(')) {
        throw new ExpressionError('function calls are not supported');
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const t = this.peek();
    this.pos += 1;
    switch (t.t) {
      case 'num':
      case 'str':
        return { k: 'lit', v: t.v };
      case 'id':
        if (t.v === 'true') return { k: 'lit', v: true };
        if (t.v === 'false') return { k: 'lit', v: false };
        if (t.v === 'null') return { k: 'lit', v: null };
        if (t.v === 'undefined') return { k: 'lit', v: undefined };
        if (UNSUPPORTED_WORDS.has(t.v)) throw new ExpressionError(`${t.v} is not supported`);
        return { k: 'var', name: t.v };
      case 'op':
        if (t.v === '(') {
          const inner = this.conditional();
          this.expectOp(')');
          return inner;
        }
        throw new ExpressionError(`unexpected ${t.v}`);
      case 'end':
        throw new ExpressionError('unexpected end of expression');
    }
  }
}

const cache = new Map<string, Node>();

export function parseExpression(src: string): Node {
  let node = cache.get(src);
  if (!node) {
    node = new Parser(tokenize(src)).parseAll();
    if (cache.size > 2000) cache.clear();
    cache.set(src, node);
  }
  return node;
}

/** Resolves a variable; throws ExpressionError when it is not declared. */
export type Resolve = (name: string) => unknown;

export function getMember(obj: unknown, prop: unknown): unknown {
  const key = String(prop);
  if (typeof obj === 'string') {
    if (key === 'length') return obj.length;
    return /^[0-9]+$/.test(key) ? obj[Number(key)] : undefined;
  }
  if (Array.isArray(obj)) {
    if (key === 'length') return obj.length;
    return /^[0-9]+$/.test(key) ? (obj as unknown[])[Number(key)] : undefined;
  }
  if (obj === null || obj === undefined) throw new ExpressionError(`cannot read ${key} of ${String(obj)}`);
  if (typeof obj === 'object' && Object.hasOwn(obj, key)) return (obj as Record<string, unknown>)[key];
  return undefined;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

/** ECMAScript `==` for the values this language can hold. */
export function looseEquals(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return false;
  return toNumber(a) === toNumber(b);
}

export function truthy(v: unknown): boolean {
  return !(v === false || v === 0 || v === '' || v === null || v === undefined || Number.isNaN(v));
}

export function toText(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map((x: unknown) => (x === null || x === undefined ? '' : toText(x))).join(',');
  return typeof v === 'object' ? '[object Object]' : typeof v;
}

function typeOf(v: unknown): string {
  if (v === null) return 'object';
  return typeof v;
}

function evaluateNode(node: Node, resolve: Resolve): unknown {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'var':
      return resolve(node.name);
    case 'member':
      return getMember(evaluateNode(node.obj, resolve), evaluateNode(node.prop, resolve));
    case 'cond':
      return truthy(evaluateNode(node.test, resolve)) ? evaluateNode(node.then, resolve) : evaluateNode(node.else, resolve);
    case 'unary': {
      if (node.op === 'typeof') {
        try {
          return typeOf(evaluateNode(node.arg, resolve));
        } catch (error) {
          if (error instanceof ExpressionError && node.arg.k === 'var') return 'undefined';
          throw error;
        }
      }
      const v = evaluateNode(node.arg, resolve);
      if (node.op === '!') return !truthy(v);
      return node.op === '-' ? -toNumber(v) : toNumber(v);
    }
    case 'binary': {
      if (node.op === '&&') {
        const l = evaluateNode(node.left, resolve);
        return truthy(l) ? evaluateNode(node.right, resolve) : l;
      }
      if (node.op === '||') {
        const l = evaluateNode(node.left, resolve);
        return truthy(l) ? l : evaluateNode(node.right, resolve);
      }
      const l = evaluateNode(node.left, resolve);
      const r = evaluateNode(node.right, resolve);
      switch (node.op) {
        case '==':
          return looseEquals(l, r);
        case '!=':
          return !looseEquals(l, r);
        case '===':
          return l === r;
        case '!==':
          return l !== r;
        case '+':
          return typeof l === 'string' || typeof r === 'string' || typeof l === 'object' || typeof r === 'object' ? toText(l) + toText(r) : toNumber(l) + toNumber(r);
        case '-':
          return toNumber(l) - toNumber(r);
        case '*':
          return toNumber(l) * toNumber(r);
        case '/':
          return toNumber(l) / toNumber(r);
        case '%':
          return toNumber(l) % toNumber(r);
        default: {
          const both = typeof l === 'string' && typeof r === 'string';
          const a = both ? l : toNumber(l);
          const b = both ? r : toNumber(r);
          if (node.op === '<') return a < b;
          if (node.op === '>') return a > b;
          if (node.op === '<=') return a <= b;
          return a >= b;
        }
      }
    }
  }
}

/** Evaluates an expression; syntax errors and undeclared variables throw ExpressionError. */
export function evaluate(src: string, resolve: Resolve): unknown {
  return evaluateNode(parseExpression(src), resolve);
}
