import { createLogger } from '../../src/apps/logger.ts';
import { demoBotsDir, resolveConfig } from '../../src/apps/server/config.ts';
import { startServer } from '../../src/apps/server/start.ts';
import { benchDataDir } from './bench-data-dir.ts';

/** Parley with the demo bots on a fresh SQLite file (or PARLEY_DATABASE_URL; PARLEY_NLU_THREAD=on|off as for `parley serve`), for benchmarks. */
// the database and NLU thread settings read from the environment as `parley serve` reads them
const { databaseUrl, nluThread } = resolveConfig({ sipPort: 'off' });
const data = benchDataDir('parley-bench-');
const server = await startServer(
  {
    port: 0,
    host: '127.0.0.1',
    dataDir: data.dir,
    botsDir: demoBotsDir,
    apiKey: 'bench',
    logLevel: 'warn',
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(nluThread !== undefined ? { nluThread } : {}),
  },
  { logger: createLogger({ level: 'warn' }), print: () => undefined },
);
process.stdout.write(`URL ${server.url}\n`);
data.closeOnSigterm(server);
