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
      const { startServer } = await import('../../server/start.ts');
      const server = await startServer(resolveConfig(opts));
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stdout.write(`\n${signal}: stopping Parley…\n`);
          void server.close().then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
