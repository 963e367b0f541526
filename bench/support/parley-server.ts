import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/apps/logger.ts';
import { demoBotsDir } from '../../src/apps/server/config.ts';
import { startServer } from '../../src/apps/server/start.ts';

/** Parley with the demo bots on a fresh SQLite file (or PARLEY_DATABASE_URL), for benchmarks. */
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const server = await startServer(
  {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    botsDir: demoBotsDir,
    apiKey: 'bench',
    logLevel: 'warn',
    ...(process.env.PARLEY_DATABASE_URL ? { databaseUrl: process.env.PARLEY_DATABASE_URL } : {}),
  },
  { logger: createLogger({ level: 'warn' }), print: () => undefined },
);
process.stdout.write(`URL ${server.url}\n`);
// the database grows by some 150 MB in a benchmark run: removed once the server has closed it
process.on('SIGTERM', () =>
  void server.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }),
);
