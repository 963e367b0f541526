/**
 * Test helper: runs the real `parley` command (bin/parley.js) in a child process and returns its output.
 * The environment is the test's without PARLEY_DATABASE_URL / PARLEY_DATA_DIR / PARLEY_SECRET_KEY unless
 * given, so the command uses exactly the data folder or database the test names.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function parleyCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base = { ...process.env };
  delete base.PARLEY_DATABASE_URL;
  delete base.PARLEY_DATA_DIR;
  delete base.PARLEY_SECRET_KEY;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
