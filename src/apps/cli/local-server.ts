import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../logger.ts';
import type { RunningServer } from '../server/start.ts';

/**
 * Runs a private Parley for one bot folder on 127.0.0.1 with a throw-away SQLite database, so `parley test`
 * and `parley chat` exercise the same runtime, storage and service calls as `parley serve`.
 */
export async function withLocalServer<T>(botDir: string, fn: (server: RunningServer) => Promise<T>): Promise<T> {
  // Loaded on demand so that light commands (help, validate) start fast.
  const { startServer } = await import('../server/start.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-'));
  const server = await startServer(
    { port: 0, host: '127.0.0.1', dataDir, botsDir: botDir, apiKey: 'local', logLevel: 'warn' },
    { logger: createLogger({ level: process.env.PARLEY_LOG_LEVEL ?? 'error' }), print: () => undefined },
  );
  try {
    return await fn(server);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
