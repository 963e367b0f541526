import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import type { BotProblem } from './problems.ts';
import type { YamlSource } from './yaml-source.ts';

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function pathOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Checks a value against a schema and reports problems on the lines where they stand. Of the errors of a
 * union, only the most specific are kept, so authors read "unknown field 'x'" rather than "must match anyOf".
 */
export function validateAgainst(
  src: YamlSource,
  schema: TSchema,
  value: unknown,
  prefix: ReadonlyArray<string | number> = [],
): BotProblem[] {
  if (Value.Check(schema, value)) return [];
  const errors = (Value.Errors(schema, value) as SchemaError[]).filter((e) => e.message !== 'schema is false');
  const problems: BotProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' && errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== 'type')) {
      continue;
    }
    if (e.keyword === 'type' && errors.some((o) => o.keyword === 'anyOf' && o.instancePath === e.instancePath)) {
      const deeper = errors.some((o) => o.instancePath.startsWith(e.instancePath + '/'));
      if (deeper) continue;
    }
    let path: Array<string | number> = [...prefix, ...pathOf(e.instancePath)];
    let message = e.message;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params.additionalProperties as string[] | undefined) ?? [];
      for (const name of extra) {
        const p = [...path, name];
        const key = `${p.join('/')}|unknown`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(src.problem(p, `unknown field '${name}'`));
      }
      continue;
    }
    if (e.keyword === 'required') {
      const missing = (e.params.requiredProperties as string[] | undefined) ?? [];
      message = `missing required field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`;
    } else if (e.keyword === 'anyOf') {
      message = 'has the wrong form (see the bot format documentation)';
    } else if (e.keyword === 'const' || e.keyword === 'enum') {
      message = `${e.message} ${JSON.stringify(e.params)}`;
    }
    const key = `${path.join('/')}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(src.problem(path, message));
    path = [];
  }
  return problems;
}
