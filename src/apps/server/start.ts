import { availableParallelism, networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadBotsFrom } from '../../bot/load.ts';
import { createIvrAppStore } from '../../channels/voicexml/apps/ivr-app-store.ts';
import { IvrApps } from '../../channels/voicexml/apps/ivr-apps.ts';
import { resolveSecretKey } from '../../channels/voicexml/apps/secret-key.ts';
import { createSessionRefs } from '../../channels/voicexml/apps/session-ref.ts';
import { Handoff } from '../../handoff/handoff-module.ts';
import { createBuiltinNlu } from '../../nlu/builtin-engine.ts';
import type { NluEngine } from '../../nlu/port.ts';
import { createThreadedNlu } from '../../nlu/threaded-engine.ts';
import { BotRegistry } from '../../runtime/bot-registry.ts';
import { ConversationService } from '../../runtime/conversation-service.ts';
import { IdleSweeper } from '../../runtime/idle-sweeper.ts';
import type { HandoffPort } from '../../runtime/handoff.ts';
import { createHttpServiceCaller } from '../../runtime/service-caller.ts';
import { openStorage } from '../../storage/open-storage.ts';
import type { Storage } from '../../storage/port.ts';
import { createLogger } from '../logger.ts';
import { resolveApiKey } from './api-key.ts';
import { buildApp } from './app.ts';
import { startSipChannel, type SipChannel } from './sip-channel.ts';
import type { ServerConfig } from './config.ts';

export interface RunningServer {
  app: FastifyInstance;
  storage: Storage;
  service: ConversationService;
  bots: BotRegistry;
  /** The hand-off to humans: routing engine, people, agent desk. */
  handoff: Handoff;
  apiKey: string;
  /** The SIP voice gateway, when SIP is on. */
  sip?: SipChannel['gateway'];
  /** http://host:port of the HTTP listener */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  nlu?: NluEngine;
  handoff?: HandoffPort;
  /** Where to report what the server serves (stdout by default). */
  print?: (line: string) => void;
}

/** The composition root of `parley serve`: storage, bots, NLU, runtime and channels, wired explicitly. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const nlu = options.nlu ? { engine: options.nlu, close: () => Promise.resolve() } : serverNlu(config, logger);
  try {
    return await startWith(config, options, logger, nlu);
  } catch (err) {
    await nlu.close();
    throw err;
  }
}

async function startWith(config: ServerConfig, options: StartOptions, logger: Logger, nlu: ServerNlu): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const bots = new BotRegistry(nlu.engine);
  const definitions = await loadBotsFrom(config.botsDir);
  for (const bot of definitions) {
    const t0 = performance.now();
    await bots.add(bot);
    logger.info({ bot: bot.id, intents: bot.intents.length, trainMs: Math.round(performance.now() - t0) }, 'bot loaded');
  }
  const secretKey = resolveSecretKey(config.dataDir);
  const storage = await openStorage({ ...(config.databaseUrl ? { url: config.databaseUrl } : {}), dataDir: config.dataDir, logger });
  const api = resolveApiKey(config.apiKey, config.dataDir);
  let baseUrl = `http://127.0.0.1:${config.port}`;
  let handoff: Handoff;
  try {
    handoff = await Handoff.create({ storage, bots, logger, dataDir: config.dataDir, botsDir: config.botsDir, apiKey: api.key, baseUrl: () => baseUrl });
  } catch (err) {
    await storage.close();
    throw err;
  }
  const service = new ConversationService({
    bots,
    storage,
    services: createHttpServiceCaller({ baseUrl: () => baseUrl }),
    handoff: options.handoff ?? handoff.engine,
    logger,
  });
  handoff.attach(service);
  const idle = new IdleSweeper({ bots, storage, service, logger });
  let sip: SipChannel | undefined;
  if (config.sip) {
    try {
      const transfers = { resolve: (id: string) => handoff.engine.sipTransferFor(id) };
      sip = await startSipChannel({ config: config.sip, host: config.host, bots, service, transfers, secret: api.key, logger });
    } catch (err) {
      await handoff.close();
      await storage.close();
      throw err;
    }
  }
  const ivr = { apps: new IvrApps(createIvrAppStore(storage), secretKey.bytes), sessions: createSessionRefs(secretKey.bytes) };
  const calls = sip ? { calls: sip.gateway.calls, ...(sip.gateway.sandbox ? { sandbox: sip.gateway.sandbox } : {}), ...(config.sip?.maxCalls ? { maxCalls: config.sip.maxCalls } : {}) } : undefined;
  const app = await buildApp({
    bots,
    service,
    storage,
    apiKey: api.key,
    logger,
    handoff,
    ivr,
    ...(calls ? { calls } : {}),
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await sip?.close();
    await handoff.close();
    await storage.close();
    throw err;
  }
  idle.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  baseUrl = `http://127.0.0.1:${port}`;
  const hosts = config.host === '0.0.0.0' || config.host === '::' ? listenHosts() : [config.host];
  print(`Parley is running with ${definitions.length} bot${definitions.length === 1 ? '' : 's'} (${definitions.map((b) => b.id).join(', ')}) on ${storage.kind}.`);
  for (const h of hosts) {
    const base = `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
    print(`  REST API      ${base}/api   (OpenAPI: ${base}/openapi.json)`);
    print(`  Web chat      ${base}/chat`);
    print(`  Chat socket   ${base.replace('http', 'ws')}/chat/ws?bot=<id>`);
    print(`  IVR webhook   ${base}/ivr/hooks/<botId>?token=<JWT>   (apps: parley ivr app create <botId>)`);
    print(`  Health        ${base}/health`);
    print(`  Agent desktop ${base}/agent   (supervisor view: ${base}/supervisor)`);
  }
  for (const line of sip?.banner(hosts) ?? []) print(line);
  const admin = await handoff.ensureAdministrator();
  if (admin) print(`Sign in to the agent desktop as admin with the password in ${admin.file}: ${admin.password}`);
  if (api.generated) print(`API key (generated, kept in ${api.file}): ${api.key}`);
  else if (api.file) print(`API key: in ${api.file}`);
  else print('API key: from PARLEY_API_KEY');
  return {
    app,
    storage,
    service,
    bots,
    handoff,
    ...(sip ? { sip: sip.gateway } : {}),
    apiKey: api.key,
    url: baseUrl,
    async close() {
      // Refuse new calls and let those in progress finish first: they still need the service and storage.
      await sip?.close();
      await app.close();
      await idle.stop();
      await handoff.close();
      await storage.close();
      await nlu.close();
    },
  };
}

/** The NLU engine of a server, and what stops it. */
interface ServerNlu {
  engine: NluEngine;
  close(): Promise<void>;
}

/**
 * The built-in NLU, warmed up (the first callers after a start do not wait for its code to be compiled), on
 * a thread of its own as well when there is a second CPU for it (`ServerConfig.nluThread`, ADR 0007).
 */
function serverNlu(config: ServerConfig, logger: Logger): ServerNlu {
  const builtin = { warmUp: true };
  if (!(config.nluThread ?? availableParallelism() > 1)) return { engine: createBuiltinNlu(builtin), close: () => Promise.resolve() };
  const engine = createThreadedNlu({ builtin, logger });
  return { engine, close: () => engine.close() };
}

function listenHosts(): string[] {
  const out = ['127.0.0.1'];
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) out.push(i.address);
  }
  return out;
}
