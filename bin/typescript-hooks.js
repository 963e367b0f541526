// Module loading hooks that run Parley's TypeScript sources: each `.ts` file is transpiled by esbuild when
// it is first imported (types stripped, nothing else changed). Registered by `typescript.js`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/** Files this hook transpiles. */
const TYPESCRIPT = /\.m?ts$/;

/**
 * As `tsc` reads the sources (tsconfig.json): imports kept as written (`verbatimModuleSyntax`) and class
 * fields defined, not assigned (ES2022 and later). Names are not "kept" (esbuild's `keepNames`, which tsx
 * turns on): transpiling renames nothing, and keeping names wraps every function expression in a call that
 * redefines its `name`, each time it is created (docs/adr/0006-typescript-loader.md).
 */
const tsconfigRaw = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } };

/**
 * @param {string} url
 * @param {{ format?: string | null }} context
 * @param {(url: string, context: object) => Promise<object>} nextLoad
 */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: file,
    tsconfigRaw,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
