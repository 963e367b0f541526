import { Command } from 'commander';
import { resolveConfig } from '../../server/config.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run Parley: REST API, web chat and channels, with the bots of a folder')
    .option('-p, --port <port>', 'HTTP port (PARLEY_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (PARLEY_HOST, default 0.0.0.0)')
    .option('-d, --data <dir>', 'data folder for the embedded database and the API key (PARLEY_DATA_DIR, default ./data)')
    .option('-b, --bots <dir>', 'a bot folder, or a folder of bot folders (PARLEY_BOTS_DIR, default the demo bots)')
    .option('--database <url>', 'postgres://… to use PostgreSQL instead of SQLite (PARLEY_DATABASE_URL)')
    .option('--sip-port <port>', 'SIP port for phone calls, UDP and TCP (PARLEY_SIP_PORT, default 5060; off to disable)')
    .action(async (opts: { port?: string; host?: string; data?: string; bots?: string; database?: string; sipPort?: string }) => {
      // Listened for before the server starts: a stop asked for while it starts (its addresses may already
      // be printed) is still a graceful one, once it has started.
      const stopAsked = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      const { startServer } = await import('../../server/start.ts');
      const server = await startServer(resolveConfig(opts));
      const signal = await stopAsked;
      process.stdout.write(`\n${signal}: stopping Parley…\n`);
      await server.close();
    });
}
