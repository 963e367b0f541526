/**
 * VoiceXML's ECMAScript conditions and values rewritten in the bot expression language: field variables
 * become `entities.<name>`, other variables `session.<name>`; `&&`/`||`/`!` become `and`/`or`/`not`.
 * Anything else (calls, `?:`, `typeof`, shadow variables) is refused: the caller reports it.
 */
import { ExpressionError, parseExpression, type Node } from '../simulator/expression.ts';

export type VariableMap = (name: string) => string | undefined;

class Untranslatable extends Error {}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const OPS: Record<string, string> = { '===': '==', '!==': '!=', '&&': 'and', '||': 'or' };

function print(node: Node, vars: VariableMap): string {
  switch (node.k) {
    case 'lit':
      if (typeof node.v === 'string') return quote(node.v);
      if (typeof node.v === 'number' || typeof node.v === 'boolean') return String(node.v);
      return 'null';
    case 'var': {
      const mapped = vars(node.name);
      if (!mapped) throw new Untranslatable(node.name);
      return mapped;
    }
    case 'member': {
      if (node.prop.k !== 'lit' || typeof node.prop.v !== 'string' || !/^[A-Za-z_]\w*$/.test(node.prop.v)) throw new Untranslatable('computed member');
      return `${print(node.obj, vars)}.${node.prop.v}`;
    }
    case 'unary':
      if (node.op === '!') return `not (${print(node.arg, vars)})`;
      if (node.op === '-') return `-(${print(node.arg, vars)})`;
      throw new Untranslatable(node.op);
    case 'binary':
      return `(${print(node.left, vars)}) ${OPS[node.op] ?? node.op} (${print(node.right, vars)})`;
    case 'cond':
      throw new Untranslatable('?:');
  }
}

/** Removes the parentheses around single paths and literals that printing adds. */
function tidy(text: string): string {
  return text.replace(/\(([\w.]+|'(?:[^'\\]|\\.)*')\)/g, '$1');
}

/** The expression in the bot language, or undefined when it cannot be carried over. */
export function translateExpression(expr: string, vars: VariableMap): string | undefined {
  try {
    return tidy(print(parseExpression(expr), vars));
  } catch (error) {
    if (error instanceof Untranslatable || error instanceof ExpressionError) return undefined;
    throw error;
  }
}

/** Field names are entities; everything else lives in the session; shadow variables (`x$`) have no counterpart. */
export function variableMap(fields: ReadonlySet<string>): VariableMap {
  return (name) => {
    if (name.endsWith('$') || name.startsWith('_') || ['session', 'application', 'document', 'dialog', 'lastresult$'].includes(name)) return undefined;
    return fields.has(name) ? `entities.${name}` : `session.${name}`;
  };
}
