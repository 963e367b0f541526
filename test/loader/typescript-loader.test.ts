import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { load } from '../../bin/typescript-hooks.js';

const loader = fileURLToPath(new URL('../../bin/typescript.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'parley-loader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a TypeScript entry file as `parley` runs its sources; the other files are written beside it. */
function run(files: Record<string, string>, entry: string) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  const r = spawnSync(process.execPath, ['--import', loader, join(tmp, entry)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("Parley's TypeScript loader (bin/typescript.js)", () => {
  it('runs TypeScript modules that import each other, types stripped and values kept', () => {
    const r = run(
      {
        'shape.ts':
          'export interface Shape { sides: number }\nexport const square: Shape = { sides: 4 };\nexport enum Kind { Flat = 2 }\n',
        'main.ts': [
          "import type { Shape } from './shape.ts';",
          "import { Kind, square } from './shape.ts';",
          'class Counter {',
          '  count = 1;',
          '  constructor(readonly step: number) {}',
          '}',
          'const c = new Counter(3);',
          'const s: Shape = square;',
          'console.log(JSON.stringify({ sides: s.sides, kind: Kind.Flat, fields: Object.keys(c) }));',
        ].join('\n'),
      },
      'main.ts',
    );
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({ sides: 4, kind: 2, fields: ['step', 'count'] });
    expect(r.code).toBe(0);
  });

  it('keeps the names of functions and classes without wrapping each function as it is created', async () => {
    const source = [
      'const hooks = { keyOf: (id: string) => id, onWarning(message: string) { return message; } };',
      'const Refusal = class extends Error {};',
      'function named() {}',
      'console.log(JSON.stringify([hooks.keyOf.name, hooks.onWarning.name, Refusal.name, named.name]));',
    ].join('\n');
    expect(JSON.parse(run({ 'names.ts': source }, 'names.ts').out)).toEqual([
      'keyOf',
      'onWarning',
      'Refusal',
      'named',
    ]);
    // esbuild's keepNames would call a helper that redefines `name` on each closure, per request (ADR 0006)
    const transpiled = await load(pathToFileURL(join(tmp, 'names.ts')).href, {}, () =>
      Promise.reject(new Error('not a TypeScript file')),
    );
    expect(transpiled).toMatchObject({ format: 'module' });
    expect(transpiled).toHaveProperty('source', expect.stringContaining('keyOf: (id) => id'));
    expect(transpiled).not.toHaveProperty('source', expect.stringContaining('__name'));
  });

  it('reports errors at their TypeScript line', () => {
    const r = run(
      {
        'boom.ts':
          'interface Pad {\n  width: number;\n}\nconst pad: Pad = { width: 2 };\nthrow new Error(`boom ${pad.width}`);\n',
      },
      'boom.ts',
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('boom 2');
    expect(r.err).toContain(`${join(tmp, 'boom.ts')}:5:7`);
  });
});
