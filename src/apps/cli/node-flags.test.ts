/**
 * The Node flags the `parley` command starts itself with (`bin/node-flags.js`): `serve` gets a larger young
 * generation where it may use more than one CPU; the other commands run as started.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingFlags, nodeFlagsFor } from '../../../bin/node-flags.js';
import { parleyCli } from '../../../test/support/parley-cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'parley-node-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the Node flags of the parley command', () => {
  it('gives serve semi-spaces of 32 MB on more than one CPU, unless PARLEY_SEMI_SPACE_MB or NODE_OPTIONS says otherwise', () => {
    expect(nodeFlagsFor(2, {}, 'serve')).toEqual(['--max-semi-space-size=32']);
    expect(nodeFlagsFor(1, {}, 'serve')).toEqual(['--single-threaded-gc']);
    expect(nodeFlagsFor(2, {}, 'validate')).toEqual([]);
    expect(nodeFlagsFor(2, { PARLEY_SEMI_SPACE_MB: '64' }, 'serve')).toEqual(['--max-semi-space-size=64']);
    expect(nodeFlagsFor(2, { PARLEY_SEMI_SPACE_MB: '0' }, 'serve')).toEqual([]);
    expect(nodeFlagsFor(2, { NODE_OPTIONS: '--max-semi-space-size=8' }, 'serve')).toEqual([]);
  });

  it('refuses a PARLEY_SEMI_SPACE_MB that is not a whole number of megabytes, naming it, on one CPU too', () => {
    for (const value of ['32MB', '-1', '1.5', '4096']) {
      expect(() => nodeFlagsFor(1, { PARLEY_SEMI_SPACE_MB: value }, 'serve')).toThrow(
        `PARLEY_SEMI_SPACE_MB must be a whole number of megabytes from 0 (V8's default) to 1024, not '${value}'`,
      );
      expect(() => nodeFlagsFor(2, { PARLEY_SEMI_SPACE_MB: value }, 'serve')).toThrow(
        `PARLEY_SEMI_SPACE_MB must be a whole number of megabytes from 0 (V8's default) to 1024, not '${value}'`,
      );
    }
  });

  it('adds only the flags Node was not already given, whatever their value', () => {
    expect(
      missingFlags(['--single-threaded-gc', '--max-semi-space-size=32'], ['--max-semi-space-size=8']),
    ).toEqual(['--single-threaded-gc']);
    expect(missingFlags(['--max-semi-space-size=32'], ['--import', 'x.js'])).toEqual([
      '--max-semi-space-size=32',
    ]);
  });

  it('stops a command with a bad PARLEY_SEMI_SPACE_MB before it starts, saying what to fix', async () => {
    const r = await parleyCli(['serve', '--port', '0', '--sip-port', 'off', '--data', join(tmp, 'refused')], {
      PARLEY_SEMI_SPACE_MB: 'lots',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error PARLEY_ERR_CONFIG: PARLEY_SEMI_SPACE_MB must be a whole number of megabytes from 0 (V8's default) to 1024, not 'lots'",
    );
    expect(readdirSync(tmp)).not.toContain('refused');
  });

  it('serves from a Node started again with the flag, which stops gracefully on the command’s SIGTERM', async () => {
    const server = spawn(
      process.execPath,
      [
        'bin/parley.js',
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--sip-port',
        'off',
        '--data',
        join(tmp, 'data'),
      ],
      {
        env: { ...process.env, PARLEY_API_KEY: 'node-flags-test', PARLEY_SEMI_SPACE_MB: '24' },
      },
    );
    let out = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const started = performance.now();
    while (!out.includes('Health') && performance.now() - started < 60_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('Parley is running');
    const children = readdirSync(`/proc/${server.pid!}/task`).flatMap((t) =>
      readFileSync(`/proc/${server.pid!}/task/${t}/children`, 'utf8').split(' ').filter(Boolean),
    );
    expect(children).toHaveLength(1);
    const cmdline = readFileSync(`/proc/${children[0]!}/cmdline`, 'utf8').split('\0');
    // on this machine's CPUs: the semi-space asked for (and, on one CPU, the single-threaded collector instead)
    const expected = nodeFlagsFor(undefined, { PARLEY_SEMI_SPACE_MB: '24' }, 'serve');
    expect(expected.length).toBeGreaterThan(0);
    for (const flag of expected) expect(cmdline).toContain(flag);
    if (availableParallelism() > 1) expect(cmdline).toContain('--max-semi-space-size=24');
    expect(cmdline).toContain('serve');
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping Parley');
  }, 90_000);
});
