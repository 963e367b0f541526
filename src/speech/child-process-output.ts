import { spawn } from 'node:child_process';
import { ParleyError } from '../errors.ts';

export interface ProcessOutputOptions {
  /** Written to the program's standard input, which is then closed. */
  input?: string;
  signal?: AbortSignal;
  /** The program is killed after this long; default 30 s. */
  timeoutMs?: number;
}

/**
 * Runs a speech program and yields its standard output as it comes. A program that cannot be started,
 * exits with a failure, or outlives its time fails with PARLEY_ERR_SPEECH, quoting the end of its
 * standard error. Stopping the iteration (or aborting) kills it.
 */
export async function* processOutput(command: string, args: readonly string[], options: ProcessOutputOptions = {}): AsyncGenerator<Buffer> {
  const child = spawn(command, args, { stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  let finished: { error?: ParleyError } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const fail = (message: string, cause?: unknown): void => {
    finished ??= { error: new ParleyError('PARLEY_ERR_SPEECH', message, { cause }) };
    notify();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  child.on('error', (error: NodeJS.ErrnoException) =>
    fail(error.code === 'ENOENT' ? `${command} is not installed (Debian package ${command})` : `${command} could not start: ${error.message}`, error),
  );
  child.on('close', (code, signal) => {
    if (code === 0) finished ??= {};
    else fail(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no message'}`);
    notify();
  });
  if (options.input !== undefined && child.stdin) {
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  }
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const timer = setTimeout(() => {
    kill();
    fail(`${command} took longer than ${options.timeoutMs ?? 30_000} ms`);
  }, options.timeoutMs ?? 30_000);
  const onAbort = (): void => {
    kill();
    fail(`${command} was stopped`);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const chunk = chunks.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (finished) {
        if (finished.error) throw finished.error;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    kill();
  }
}
