/**
 * On one CPU the `parley` command starts itself again with single-threaded garbage collection
 * (`bin/node-flags.js`), passing on its arguments, output, exit code and the signals a service manager sends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFlagsFor } from '../../../bin/node-flags.js';

const tmp = mkdtempSync(join(tmpdir(), 'parley-one-cpu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The command lines of a process's children, from /proc. */
function childCommandLines(pid: number): string[][] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean)),
  );
}

describe('parley on one CPU', () => {
  it('asks for single-threaded garbage collection on one CPU only, unless told to keep V8’s default', () => {
    expect(nodeFlagsFor(1, {})).toEqual(['--single-threaded-gc']);
    expect(nodeFlagsFor(2, {})).toEqual([]);
    expect(nodeFlagsFor(1, { PARLEY_GC: 'parallel' })).toEqual([]);
  });

  it('runs a command with its arguments and exit code', () => {
    const ok = spawnSync('taskset', ['-c', '0', process.execPath, 'bin/parley.js', 'validate', 'examples/bank'], { encoding: 'utf8', timeout: 120_000 });
    expect(ok.stdout).toContain("bot 'bank' is valid");
    expect(ok.status).toBe(0);
    const bad = spawnSync('taskset', ['-c', '0', process.execPath, 'bin/parley.js', 'validate', join(tmp, 'no-such-bot')], { encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('no-such-bot');
  });

  it('serves with single-threaded GC, and stops gracefully on a SIGTERM sent to the command', async () => {
    const server = spawn('taskset', ['-c', '0', process.execPath, 'bin/parley.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--sip-port', 'off', '--data', join(tmp, 'data')], {
      env: { ...process.env, PARLEY_API_KEY: 'one-cpu-test' },
    });
    let out = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const started = performance.now();
    while (!out.includes('Health') && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('Parley is running');
    // taskset runs node in its own place: the command is the one process, the server its child.
    const children = childCommandLines(server.pid!);
    expect(children).toHaveLength(1);
    expect(children[0]).toContain('--single-threaded-gc');
    expect(children[0]).toContain('serve');
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping Parley');
  }, 90_000);

  it('stops the server when the command itself is killed outright', async () => {
    const server = spawn('taskset', ['-c', '0', process.execPath, 'bin/parley.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--sip-port', 'off', '--data', join(tmp, 'data-kill')], {
      env: { ...process.env, PARLEY_API_KEY: 'one-cpu-test' },
    });
    let out = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const started = performance.now();
    while (!out.includes('Health') && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
    const child = readdirSync(`/proc/${server.pid!}/task`).flatMap((t) => readFileSync(`/proc/${server.pid!}/task/${t}/children`, 'utf8').split(' ').filter(Boolean))[0];
    expect(child).toBeDefined();
    server.kill('SIGKILL');
    const gone = () => !existsSync(`/proc/${child}`) || readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
    const killedAt = performance.now();
    while (!gone() && performance.now() - killedAt < 30_000) await new Promise((r) => setTimeout(r, 100));
    expect(gone()).toBe(true);
    expect(out).toContain('SIGTERM: stopping Parley');
  }, 90_000);
});
