/**
 * The small expression language of bot files: conditions (`if:`), assignments (`set:`) and template
 * placeholders (`{{ … }}`). It is parsed, never `eval`ed.
 *
 *   entities.amount.amount > 100 and session.channel == 'voice'
 *   not exists(entities.pin) or len(entities.pin) < 4
 *
 * Values: numbers, 'single' or "double" quoted strings, true, false, null, dotted paths into the
 * variable scopes. Operators: or/||, and/&&, not/!, == != < <= > >=, + - * / %, unary minus, ( ).
 * Functions: exists(x), len(x), lower(x), upper(x), contains(haystack, needle), number(x), string(x).
 */

export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; path: string[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; fn: FunctionName; args: Expr[] };

type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** A value as text: objects as JSON, missing values as ''. */
function str(x: unknown): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'object') return JSON.stringify(x);
  if (typeof x === 'string') return x;
  return typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint' ? String(x) : '';
}

const functions = {
  exists: (x: unknown) => x !== undefined && x !== null && x !== '',
  len: (x: unknown) => (typeof x === 'string' || Array.isArray(x) ? x.length : 0),
  lower: (x: unknown) => str(x).toLowerCase(),
  upper: (x: unknown) => str(x).toUpperCase(),
  contains: (h: unknown, n: unknown) =>
    Array.isArray(h) ? h.includes(n) : str(h).includes(str(n)),
  number: (x: unknown) => Number(x),
  string: str,
} satisfies Record<string, (...args: unknown[]) => unknown>;

type FunctionName = keyof typeof functions;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly position: number,
  ) {
    super(`${message} at column ${position + 1} of \`${source}\``);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { t: 'num'; v: number; p: number }
  | { t: 'str'; v: string; p: number }
  | { t: 'id'; v: string; p: number }
  | { t: 'op'; v: string; p: number }
  | { t: 'eof'; p: number };

const wordOps: Record<string, string> = { and: '&&', or: '||', not: '!' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]), p: i });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new ExpressionError('unterminated string', src, i);
      out.push({ t: 'str', v: s, p: i });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i)) as RegExpExecArray;
      const op = wordOps[m[0]];
      out.push(op ? { t: 'op', v: op, p: i } : { t: 'id', v: m[0], p: i });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
        out.push({ t: 'op', v: two, p: i });
        i += 2;
      } else if ('<>!+-*/%().,'.includes(c)) {
        out.push({ t: 'op', v: c, p: i });
        i++;
      } else {
        throw new ExpressionError(`unexpected character '${c}'`, src, i);
      }
    }
  }
  out.push({ t: 'eof', p: src.length });
  return out;
}

const precedence: Array<BinaryOp[]> = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  parse(): Expr {
    const e = this.binary(0);
    const t = this.peek();
    if (t.t !== 'eof') throw new ExpressionError('unexpected input', this.src, t.p);
    return e;
  }

  private peek(): Token {
    return this.toks[this.i] as Token;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new ExpressionError(`expected '${v}'`, this.src, this.peek().p);
    this.i++;
  }

  private binary(level: number): Expr {
    const ops = precedence[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (ops as string[]).includes(t.v)) {
        this.i++;
        const right = this.binary(level + 1);
        left = { kind: 'binary', op: t.v as BinaryOp, left, right };
      } else {
        return left;
      }
    }
  }

  private unary(): Expr {
    if (this.isOp('!') || this.isOp('-')) {
      const op = (this.peek() as { v: string }).v as '!' | '-';
      this.i++;
      return { kind: 'unary', op, arg: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    this.i++;
    switch (t.t) {
      case 'num':
      case 'str':
        return { kind: 'literal', value: t.v };
      case 'id': {
        if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true' };
        if (t.v === 'null') return { kind: 'literal', value: null };
        if (this.isOp('(')) return this.call(t.v, t.p);
        const path = [t.v];
        while (this.isOp('.')) {
          this.i++;
          const n = this.peek();
          if (n.t !== 'id' && n.t !== 'num') throw new ExpressionError('expected a name after .', this.src, n.p);
          path.push(String(n.v));
          this.i++;
        }
        return { kind: 'path', path };
      }
      case 'op':
        if (t.v === '(') {
          const e = this.binary(0);
          this.expectOp(')');
          return e;
        }
        throw new ExpressionError(`unexpected '${t.v}'`, this.src, t.p);
      case 'eof':
        throw new ExpressionError('unexpected end of expression', this.src, t.p);
    }
  }

  private call(name: string, pos: number): Expr {
    if (!(name in functions)) {
      throw new ExpressionError(
        `unknown function '${name}' (known: ${Object.keys(functions).join(', ')})`,
        this.src,
        pos,
      );
    }
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.binary(0));
      while (this.isOp(',')) {
        this.i++;
        args.push(this.binary(0));
      }
    }
    this.expectOp(')');
    return { kind: 'call', fn: name as FunctionName, args };
  }
}

const cache = new Map<string, Expr>();

/** Parses (and memoizes) an expression; throws ExpressionError with the column of the problem. */
export function parseExpression(src: string): Expr {
  let e = cache.get(src);
  if (!e) {
    e = new Parser(src, tokenize(src)).parse();
    if (cache.size > 10_000) cache.clear();
    cache.set(src, e);
  }
  return e;
}

/** Resolves a dotted path against the scopes; a missing step gives undefined. */
export type Lookup = (path: string[]) => unknown;

export function evaluate(expr: Expr, lookup: Lookup): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path':
      return lookup(expr.path);
    case 'unary': {
      const v = evaluate(expr.arg, lookup);
      return expr.op === '!' ? !truthy(v) : -Number(v);
    }
    case 'call': {
      const fn = functions[expr.fn] as (...a: unknown[]) => unknown;
      return fn(...expr.args.map((a) => evaluate(a, lookup)));
    }
    case 'binary':
      return binary(expr, lookup);
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, lookup: Lookup): unknown {
  if (expr.op === '||') return truthy(evaluate(expr.left, lookup)) || truthy(evaluate(expr.right, lookup));
  if (expr.op === '&&') return truthy(evaluate(expr.left, lookup)) && truthy(evaluate(expr.right, lookup));
  const l = evaluate(expr.left, lookup);
  const r = evaluate(expr.right, lookup);
  switch (expr.op) {
    case '==':
      return looseEqual(l, r);
    case '!=':
      return !looseEqual(l, r);
    case '<':
      return compare(l, r) < 0;
    case '<=':
      return compare(l, r) <= 0;
    case '>':
      return compare(l, r) > 0;
    case '>=':
      return compare(l, r) >= 0;
    case '+':
      return typeof l === 'number' && typeof r === 'number' ? l + r : str(l) + str(r);
    case '-':
      return Number(l) - Number(r);
    case '*':
      return Number(l) * Number(r);
    case '/':
      return Number(l) / Number(r);
    case '%':
      return Number(l) % Number(r);
  }
}

export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '' && !Number.isNaN(v);
}

/** Numbers compare with numeric strings ("42" == 42), everything else strictly. */
function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && a === Number(b);
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  return false;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  return x - y;
}
