import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeFlagsFor } from '../../bin/node-flags.js';

/** What runs the servers' TypeScript, as in `parley serve`. */
export const typescriptLoader = fileURLToPath(new URL('../../bin/typescript.js', import.meta.url));

/**
 * Starts a bench server script in its own process (so client and server do not share a core) and waits for its URL.
 * `nodeFlags` go on its Node command line first: the Parley servers get those `parley serve` runs with
 * (`serveNodeFlags`).
 * The environment adds to every bench server (`benchNodeFlags`): PARLEY_BENCH_PROF=1 writes a CPU profile to
 * /tmp/prof; PARLEY_BENCH_GC=1 traces its garbage collections to stderr (a young-generation pause shows
 * directly in the p99); PARLEY_BENCH_NODE_FLAGS adds Node flags.
 */
export async function startChild(
  script: string,
  env: Record<string, string> = {},
  nodeFlags: string[] = [],
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...nodeFlags, ...benchNodeFlags(), '--import', typescriptLoader, fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url = ''] = await printed(child, [/^URL (\S+)$/m], script);
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The Node flags `parley serve` starts with on this machine (`bin/node-flags.js`). */
export function serveNodeFlags(): string[] {
  return nodeFlagsFor(undefined, process.env, 'serve');
}

/** The Node flags of every bench server, from the environment (see `startChild`). */
export function benchNodeFlags(): string[] {
  return [
    ...(process.env.PARLEY_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ...(process.env.PARLEY_BENCH_GC ? ['--trace-gc'] : []),
    ...(process.env.PARLEY_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  ];
}

/**
 * Waits until a starting server has printed a line matching each pattern (its addresses) and gives each
 * one's first group; fails if it exits first or takes over 60 s. Its output is still read afterwards (a full
 * pipe would stop it) and copied to stderr when its collections are traced, but no longer kept.
 */
export function printed(child: ChildProcess, patterns: RegExp[], what: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buf: string | undefined = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 60 s`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (process.env.PARLEY_BENCH_GC) process.stderr.write(d);
      if (buf === undefined) return;
      buf += d.toString();
      const found = patterns.map((p) => p.exec(buf ?? '')?.[1]);
      if (found.every((f) => f !== undefined)) {
        buf = undefined;
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}
