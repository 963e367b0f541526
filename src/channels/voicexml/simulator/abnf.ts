/**
 * SRGS ABNF grammars (`#ABNF 1.0; root $r; public $r = yes | no;`) read into rule trees: rules,
 * alternatives, sequences, `[optional]`, `(groups)`, `<m-n>` repeats, `$refs`, `$NULL`/`$VOID`/`$GARBAGE`,
 * `{tags}`; weights and language attachments are read and ignored.
 */
import { parseRepeat, words, type Expansion, type RuleGrammar } from './rule-grammar.ts';

type Tok = { t: 'word'; v: string } | { t: 'ref'; v: string } | { t: 'tag'; v: string } | { t: 'repeat'; v: string } | { t: 'p'; v: string };

export class AbnfError extends Error {}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const rest = src.slice(i);
    if (/\s/.test(c)) i += 1;
    else if (rest.startsWith('//')) i = src.indexOf('\n', i) === -1 ? src.length : src.indexOf('\n', i);
    else if (rest.startsWith('/*')) i = src.indexOf('*/', i) === -1 ? src.length : src.indexOf('*/', i) + 2;
    else if (rest.startsWith('{!{')) {
      const end = src.indexOf('}!}', i);
      if (end < 0) throw new AbnfError('unterminated {!{ tag');
      out.push({ t: 'tag', v: src.slice(i + 3, end) });
      i = end + 3;
    } else if (c === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) throw new AbnfError('unterminated { tag');
      out.push({ t: 'tag', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw new AbnfError('unterminated quoted token');
      out.push({ t: 'word', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '$') {
      if (src[i + 1] === '<') {
        const end = src.indexOf('>', i);
        out.push({ t: 'ref', v: src.slice(i + 1, end + 1) });
        i = end + 1;
      } else {
        const m = /^\$[A-Za-z_][\w-]*/.exec(rest);
        if (!m) throw new AbnfError('bad rule reference');
        out.push({ t: 'ref', v: m[0].slice(1) });
        i += m[0].length;
      }
    } else if (c === '<') {
      const end = src.indexOf('>', i);
      if (end < 0) throw new AbnfError('unterminated <…>');
      out.push({ t: 'repeat', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '/') {
      const end = src.indexOf('/', i + 1);
      i = end < 0 ? src.length : end + 1; // a weight
    } else if (c === '!') {
      const m = /^![A-Za-z-]+/.exec(rest);
      i += m ? m[0].length : 1; // a language attachment
    } else if ('()[]|;='.includes(c)) {
      out.push({ t: 'p', v: c });
      i += 1;
    } else {
      const m = /^[^\s()[\]|;={}"$<>/!]+/.exec(rest);
      const v = m?.[0] ?? c;
      out.push({ t: 'word', v });
      i += v.length;
    }
  }
  return out;
}

class Parser {
  pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly mode: 'voice' | 'dtmf',
  ) {}

  peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  isP(v: string): boolean {
    const t = this.peek();
    return t?.t === 'p' && t.v === v;
  }

  expectP(v: string): void {
    if (!this.isP(v)) throw new AbnfError(`expected ${v}`);
    this.pos += 1;
  }

  alternatives(): Expansion {
    const items = [this.sequence()];
    while (this.isP('|')) {
      this.pos += 1;
      items.push(this.sequence());
    }
    return items.length === 1 && items[0] ? items[0] : { k: 'alt', items };
  }

  sequence(): Expansion {
    const items: Expansion[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || (t.t === 'p' && (t.v === '|' || t.v === ')' || t.v === ']' || t.v === ';'))) break;
      let unit = this.unit();
      const r = this.peek();
      if (r?.t === 'repeat') {
        this.pos += 1;
        const spec = parseRepeat(r.v.split(/\s+/)[0] ?? '');
        if (spec) unit = { k: 'repeat', min: spec.min, max: spec.max, exp: unit };
      }
      items.push(unit);
    }
    return items.length === 1 && items[0] ? items[0] : { k: 'seq', items };
  }

  unit(): Expansion {
    const t = this.peek();
    this.pos += 1;
    if (!t) throw new AbnfError('unexpected end of grammar');
    switch (t.t) {
      case 'word':
        return { k: 'token', words: words(t.v, this.mode) };
      case 'tag':
        return { k: 'tag', text: t.v };
      case 'ref':
        if (t.v === 'NULL') return { k: 'null' };
        if (t.v === 'VOID') return { k: 'void' };
        if (t.v === 'GARBAGE') return { k: 'garbage' };
        return t.v.startsWith('<') ? { k: 'external', uri: t.v.slice(1, -1) } : { k: 'ref', rule: t.v };
      case 'repeat':
        throw new AbnfError('a repeat must follow what it repeats');
      case 'p':
        if (t.v === '(') {
          const inner = this.alternatives();
          this.expectP(')');
          return inner;
        }
        if (t.v === '[') {
          const inner = this.alternatives();
          this.expectP(']');
          return { k: 'repeat', min: 0, max: 1, exp: inner };
        }
        throw new AbnfError(`unexpected ${t.v}`);
    }
  }
}

/** Reads an ABNF grammar text; throws AbnfError on syntax it cannot read. */
export function parseAbnf(text: string, defaultMode: 'voice' | 'dtmf' = 'voice'): RuleGrammar {
  const body = text.replace(/^\s*#ABNF[^;]*;/, '');
  const modeDecl = /(^|;)\s*mode\s+(voice|dtmf)\s*;/.exec(body);
  const mode = (modeDecl?.[2] as 'voice' | 'dtmf' | undefined) ?? defaultMode;
  const toks = tokenize(body);
  const parser = new Parser(toks, mode);
  const rules = new Map<string, Expansion>();
  let root: string | undefined;
  let firstPublic: string | undefined;
  let first: string | undefined;
  let tagFormat: string | undefined;
  while (parser.peek()) {
    const t = parser.peek();
    if (t?.t === 'p' && t.v === ';') {
      parser.pos += 1;
      continue;
    }
    if (t?.t === 'word' && ['language', 'mode', 'root', 'tag-format', 'base', 'lexicon', 'meta', 'http-equiv'].includes(t.v)) {
      parser.pos += 1;
      const value = parser.peek();
      if (t.v === 'root' && value?.t === 'ref') root = value.v;
      if (t.v === 'tag-format' && value?.t === 'repeat') tagFormat = value.v;
      while (parser.peek() && !parser.isP(';')) parser.pos += 1;
      continue;
    }
    let isPublic = false;
    if (t?.t === 'word' && (t.v === 'public' || t.v === 'private')) {
      isPublic = t.v === 'public';
      parser.pos += 1;
    }
    const name = parser.peek();
    if (name?.t !== 'ref') throw new AbnfError('expected a rule definition ($name = …;)');
    parser.pos += 1;
    parser.expectP('=');
    rules.set(name.v, parser.alternatives());
    first ??= name.v;
    if (isPublic) firstPublic ??= name.v;
    parser.expectP(';');
  }
  const rootRule = root ?? firstPublic ?? first;
  if (!rootRule || rules.size === 0) throw new AbnfError('the grammar defines no rule');
  return tagFormat ? { rules, root: rootRule, mode, tagFormat } : { rules, root: rootRule, mode };
}
