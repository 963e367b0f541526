/**
 * `parley ivr app …` and `parley ivr token …`: the IVR apps of a bot and their JWTs, against the same data
 * folder / database as `parley serve` (`--data`, `--database`, PARLEY_DATA_DIR, PARLEY_DATABASE_URL) and the
 * same secret key (the data folder's `secret-key`, or PARLEY_SECRET_KEY).
 */
import { Command, InvalidArgumentError } from 'commander';
import { createIvrAppStore } from '../../../channels/voicexml/apps/ivr-app-store.ts';
import { IvrApps, type IvrAppInfo } from '../../../channels/voicexml/apps/ivr-apps.ts';
import { mintIvrToken } from '../../../channels/voicexml/apps/ivr-token.ts';
import { resolveSecretKey } from '../../../channels/voicexml/apps/secret-key.ts';
import { openStorage } from '../../../storage/open-storage.ts';
import { resolveConfig } from '../../server/config.ts';

export interface IvrAppsIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

interface StoreFlags {
  data?: string;
  database?: string;
}

const DEFAULT_TTL = '1h';

/** `90s`, `15m`, `1h`, `30d` (or plain seconds) in milliseconds; `none` for a token without expiry (0). */
export function parseTtl(value: string): number {
  if (value === 'none') return 0;
  const m = /^(\d+)(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('a duration such as 90s, 15m, 1h, 30d, or none');
  const unitMs = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  const ms = Number(m[1]) * unitMs;
  if (ms < 1000) throw new InvalidArgumentError('at least 1s');
  return ms;
}

async function withApps<T>(flags: StoreFlags, io: IvrAppsIo, body: (apps: IvrApps) => Promise<T>): Promise<T> {
  const config = resolveConfig({ ...(flags.data ? { data: flags.data } : {}), ...(flags.database ? { database: flags.database } : {}) }, io.env);
  const key = resolveSecretKey(config.dataDir, io.env);
  if (key.generated) io.err(`generated the secret key that seals IVR app secrets: ${key.file ?? ''} (keep it with the database)\n`);
  const storage = await openStorage({ ...(config.databaseUrl ? { url: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    return await body(new IvrApps(createIvrAppStore(storage), key.bytes, { cacheMs: 0 }));
  } finally {
    await storage.close();
  }
}

function storeOptions(command: Command): Command {
  return command
    .option('-d, --data <dir>', 'the data folder of `parley serve` (PARLEY_DATA_DIR, default ./data)')
    .option('--database <url>', 'the database of `parley serve`, postgres://… (PARLEY_DATABASE_URL)');
}

function line(app: IvrAppInfo): string {
  return `${app.clientId}  ${app.enabled ? 'enabled ' : 'disabled'}  created ${app.createdAt}${app.name ? `  ${app.name}` : ''}`;
}

export function ivrAppCommand(io: Partial<IvrAppsIo> = {}): Command {
  const streams: IvrAppsIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env, ...io };
  const app = new Command('app').description("a bot's IVR apps: the client id and secret an IVR signs its webhook JWTs with");

  app.addCommand(
    storeOptions(new Command('create'))
      .description('create an IVR app for a bot; its client secret is printed once')
      .argument('<botId>', 'the bot the IVR calls')
      .option('--name <name>', 'a label (the IVR or line it serves)')
      .option('--json', 'print {"clientId","clientSecret"} only')
      .action(async (botId: string, flags: StoreFlags & { name?: string; json?: boolean }) => {
        const created = await withApps(flags, streams, (apps) => apps.create(botId, flags.name ? { name: flags.name } : {}));
        if (flags.json) {
          streams.out(`${JSON.stringify({ clientId: created.clientId, clientSecret: created.clientSecret })}\n`);
          return;
        }
        streams.out(
          `IVR app created for bot ${botId}.\n  client id:     ${created.clientId}\n  client secret: ${created.clientSecret}\n` +
            'The secret is shown only now: keep it in the IVR. A token for testing: ' +
            `parley ivr token ${botId} --app ${created.clientId}\nWebhook: <server>/ivr/hooks/${encodeURIComponent(botId)}?token=<JWT>\n`,
        );
      }),
  );

  app.addCommand(
    storeOptions(new Command('list'))
      .description("list a bot's IVR apps (without secrets)")
      .argument('<botId>')
      .option('--json', 'print JSON')
      .action(async (botId: string, flags: StoreFlags & { json?: boolean }) => {
        const list = await withApps(flags, streams, (apps) => apps.list(botId));
        streams.out(flags.json ? `${JSON.stringify(list, null, 2)}\n` : list.length ? `${list.map(line).join('\n')}\n` : `bot ${botId} has no IVR app\n`);
      }),
  );

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.addCommand(
      storeOptions(new Command(name))
        .description(`${name} an IVR app (a disabled app's tokens are refused)`)
        .argument('<botId>')
        .argument('<clientId>')
        .action(async (botId: string, clientId: string, flags: StoreFlags) => {
          const updated = await withApps(flags, streams, (apps) => apps.setEnabled(botId, clientId, enabled));
          streams.out(`${line(updated)}\n`);
        }),
    );
  }

  app.addCommand(
    storeOptions(new Command('delete'))
      .description('delete an IVR app')
      .argument('<botId>')
      .argument('<clientId>')
      .action(async (botId: string, clientId: string, flags: StoreFlags) => {
        await withApps(flags, streams, (apps) => apps.remove(botId, clientId));
        streams.out(`deleted ${clientId}\n`);
      }),
  );
  return app;
}

export function ivrTokenCommand(io: Partial<IvrAppsIo> = {}): Command {
  const streams: IvrAppsIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env, ...io };
  return storeOptions(new Command('token'))
    .description("print a JWT for the bot's IVR webhook (HS256 with the app secret, claim appId), alone on its line")
    .argument('<botId>')
    .requiredOption('--app <clientId>', 'the IVR app (client id) to sign as')
    .option('--ttl <duration>', 'lifetime: 90s, 15m, 1h, 30d, or none', parseTtl, parseTtl(DEFAULT_TTL))
    .option('--audience <aud>', 'the aud claim: the bot id or the webhook URL')
    .action(async (botId: string, flags: StoreFlags & { app: string; ttl: number; audience?: string }) => {
      const secret = await withApps(flags, streams, (apps) => apps.secretOf(botId, flags.app));
      const token = await mintIvrToken({ clientId: flags.app, secret, ttlMs: flags.ttl, ...(flags.audience ? { audience: flags.audience } : {}) });
      streams.out(`${token}\n`);
    });
}
