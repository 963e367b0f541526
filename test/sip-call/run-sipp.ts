/**
 * Runs SIPp against the gateway, bounded in time (killed on timeout), in a scratch directory whose logs
 * (messages, errors, the scenario's own `<log>` lines) come back whole.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIOS = new URL('.', import.meta.url).pathname;

export interface SippRun {
  code: number | null;
  /** The scenario's `<log>` lines. */
  logs: string;
  /** Every SIP message sent and received. */
  messages: string;
  /** For failure messages: errors and the end of the message trace. */
  diagnostics: string;
}

export async function runSipp(args: string[], timeoutMs: number): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  const child = spawn('sipp', [...args, '-nostdin', '-trace_err', '-trace_msg', '-trace_logs'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (exit) => resolve(exit));
  });
  clearTimeout(timer);
  const read = (suffix: string): string =>
    readdirSync(dir)
      .filter((f) => f.endsWith(suffix))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
  const messages = read('_messages.log');
  const run = { code, logs: read('_logs.log'), messages, diagnostics: [stderr, read('_errors.log'), messages.slice(-6000)].join('\n') };
  rmSync(dir, { recursive: true, force: true });
  return run;
}
