import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh data directory for a bench server, and the SIGTERM handler that closes the server and then
 * removes the directory: its database grows by some 150 MB in a benchmark run.
 */
export function benchDataDir(prefix: string): {
  dir: string;
  closeOnSigterm(server: { close(): Promise<void> }): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    closeOnSigterm(server) {
      process.on(
        'SIGTERM',
        () =>
          void server.close().then(() => {
            rmSync(dir, { recursive: true, force: true });
            process.exit(0);
          }),
      );
    },
  };
}
