import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RoutingModel } from '../routing/model.ts';
import type { BotRegistry } from '../runtime/bot-registry.ts';
import type { ConversationService } from '../runtime/conversation-service.ts';
import type { Storage } from '../storage/port.ts';
import { AgentDesk } from './agent-desk.ts';
import { PeopleService } from './auth/people-service.ts';
import { ConnectorSet } from './connectors/connector-set.ts';
import type { Fetch } from './connectors/port.ts';
import { HistoryLinks } from './history-link.ts';
import { LiveHub } from './live-hub.ts';
import { loadRouting, routingFileName, saveRoutingFile } from './routing-file.ts';
import { RoutingEngine } from './routing-engine.ts';
import { createHandoffStores } from './store/handoff-stores.ts';
import type { HandoffStores } from './store/ports.ts';
import { surveyAnswersOf } from './survey-recorder.ts';

export interface HandoffOptions {
  storage: Storage;
  bots: BotRegistry;
  logger: Logger;
  dataDir: string;
  botsDir: string;
  /** Signs history links (a secret derived from it). */
  apiKey: string;
  /** Parley's public base URL, for links handed to contact centers. */
  baseUrl: () => string;
  sessionTtlMs?: number;
  fetch?: Fetch;
  now?: () => Date;
}

/**
 * The hand-off to humans, assembled: routing model, engine (the hand-off port), people and sessions, the agent
 * desk, live fan-out, connectors and history links. `attach` joins it to the conversation service.
 */
export class Handoff {
  readonly stores: HandoffStores;
  readonly people: PeopleService;
  readonly hub = new LiveHub();
  readonly engine: RoutingEngine;
  readonly connectors: ConnectorSet;
  readonly links: HistoryLinks;
  /** Where REST changes to the routing model are written. */
  readonly routingFile: string;
  /** Where the model was read from at start (undefined: derived from the bots). */
  readonly routingSource: string | undefined;
  private attached: { service: ConversationService; desk: AgentDesk } | undefined;
  private readonly detach: Array<() => void> = [];

  private constructor(
    private readonly options: HandoffOptions,
    model: RoutingModel,
    source: string | undefined,
  ) {
    this.stores = createHandoffStores(options.storage);
    this.people = new PeopleService(this.stores.people, { ...(options.sessionTtlMs ? { sessionTtlMs: options.sessionTtlMs } : {}), ...(options.now ? { now: options.now } : {}) });
    this.links = new HistoryLinks(options.apiKey, options.baseUrl);
    this.connectors = new ConnectorSet({ deliveries: this.stores.deliveries, logger: options.logger, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.routingFile = join(options.dataDir, routingFileName);
    this.routingSource = source;
    this.engine = new RoutingEngine(model, {
      stores: this.stores,
      conversations: options.storage.conversations,
      connectors: this.connectors,
      hub: this.hub,
      logger: options.logger,
      bots: {
        language: (id) => (options.bots.has(id) ? options.bots.get(id).bot.language : undefined),
        masker: (id) => (options.bots.has(id) ? options.bots.get(id).masker : undefined),
      },
      historyUrl: (key) => this.links.link(key),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Reads the routing model (data folder, then bots folder, else derived from the bots) and restores open hand-offs. */
  static async create(options: HandoffOptions): Promise<Handoff> {
    const { model, file } = loadRouting(options.dataDir, options.botsDir, options.bots.list());
    const handoff = new Handoff(options, model, file);
    await handoff.engine.restore();
    await handoff.connectors.resume();
    options.logger.info({ routing: file ?? 'derived from the bots', queues: model.queues.length, agents: model.agents.length }, 'hand-off routing loaded');
    return handoff;
  }

  /** The agent desk (agents' and supervisors' actions); there once `attach` joined the conversation service. */
  get desk(): AgentDesk {
    if (!this.attached) throw new Error('the hand-off is not attached to a conversation service yet');
    return this.attached.desk;
  }

  /** Joins the conversation service: every saved turn goes through the engine; survey answers are kept. */
  attach(service: ConversationService): void {
    const o = this.options;
    const desk = new AgentDesk({ engine: this.engine, service, stores: this.stores, conversations: o.storage.conversations, logger: o.logger, ...(o.now ? { now: o.now } : {}) });
    this.attached = { service, desk };
    this.detach.push(
      service.subscribe((event) => {
        this.engine.onTurn(event);
        const answers = surveyAnswersOf(event, (id) => (this.options.bots.has(id) ? this.options.bots.get(id).masker : undefined));
        if (answers) this.stores.surveys.save(answers).catch((err: unknown) => this.options.logger.error({ err }, 'saving survey answers failed'));
      }),
    );
  }

  /** Applies a new routing model and writes it to the data folder's routing.yaml. */
  replaceRouting(model: RoutingModel): void {
    saveRoutingFile(this.routingFile, model);
    this.engine.setModel(model);
  }

  /**
   * With nobody able to sign in yet, creates the administrator `admin` with a generated password kept in
   * `<data>/admin-password`; returns that password (to print once), or undefined when people exist.
   */
  async ensureAdministrator(): Promise<{ password: string; file: string } | undefined> {
    if ((await this.people.count()) > 0) return undefined;
    const file = join(this.options.dataDir, 'admin-password');
    const password = existsSync(file) ? readFileSync(file, 'utf8').trim() : randomBytes(12).toString('base64url');
    await this.people.create({ username: 'admin', password, role: 'admin', displayName: 'Administrator' });
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    return { password, file };
  }

  async close(): Promise<void> {
    for (const d of this.detach) d();
    this.engine.close();
    await this.engine.settled();
    this.hub.close();
  }
}
