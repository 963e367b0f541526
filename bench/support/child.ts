import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts a bench server script in its own process (so client and server do not share a core) and waits for its URL.
 * PARLEY_BENCH_PROF=1 writes a CPU profile of each server to /tmp/prof (`serverProfileFlags`); PARLEY_BENCH_GC=1
 * traces its garbage collections to stderr (a young-generation pause shows directly in the p99);
 * PARLEY_BENCH_NODE_FLAGS adds Node flags.
 */
export async function startChild(script: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const flags = [...serverProfileFlags(), ...(process.env.PARLEY_BENCH_GC ? ['--trace-gc'] : []), ...(process.env.PARLEY_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 60 s`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (process.env.PARLEY_BENCH_GC) process.stderr.write(d);
      buf += d.toString();
      const m = /^URL (\S+)$/m.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
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

/** Node flags that make a bench server write a CPU profile to /tmp/prof when PARLEY_BENCH_PROF is set. */
export function serverProfileFlags(): string[] {
  return process.env.PARLEY_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [];
}
