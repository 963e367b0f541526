/**
 * Runs SIPp (Debian `sip-tester`) as a black-box peer: bounded in time, killed on timeout, run in a
 * scratch directory so its logs do not land in the work tree.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIOS = new URL('.', import.meta.url).pathname;

export interface SippResult {
  code: number | null;
  stdout: string;
  /** stderr and SIPp's error and message logs, for failure messages. */
  log: string;
}

/** A UDP port that was free a moment ago (SIPp needs one for its signalling and one for media). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function runSipp(args: string[], timeoutMs = 20_000): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  const child = spawn('sipp', [...args, '-nostdin', '-trace_err', '-trace_msg'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (exit) => resolve(exit));
  });
  clearTimeout(timer);
  const logs = readdirSync(dir).map((file) => `--- ${file}\n${readFileSync(join(dir, file), 'utf8')}`);
  rmSync(dir, { recursive: true, force: true });
  return { code, stdout, log: [stderr, ...logs].join('\n').slice(-8_000) };
}
