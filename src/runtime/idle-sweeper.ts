import type { Logger } from 'pino';
import type { Storage } from '../storage/port.ts';
import type { BotRegistry } from './bot-registry.ts';
import type { ConversationService } from './conversation-service.ts';

export interface IdleSweeperDeps {
  bots: BotRegistry;
  storage: Storage;
  service: Pick<ConversationService, 'endIfIdle'>;
  logger: Logger;
  now?: () => Date;
}

/** Conversations ended per bot and sweep at most: a backlog (after a restart) drains over a few sweeps. */
const PER_SWEEP = 200;
/** How often the sweeper looks, at most and at least (a quarter of the shortest timeout in between). */
const MAX_INTERVAL_MS = 60_000;
const MIN_INTERVAL_MS = 1_000;

/**
 * Ends the conversations customers have left. A chat window closed or an IVR that never reported its hang-up
 * leaves a conversation active for ever, and with it the supervisor's live count, the resolution and
 * abandonment rates and the bot-session metering. Each bot's `settings.idleTimeoutMinutes` (default 30, 0:
 * never) after its last turn, a conversation still with the bot ends through `ConversationService.endIfIdle`,
 * as a hang-up: resolved if the bot finished a dialog for the customer, abandoned otherwise. Conversations
 * with a human agent are the agent's to end.
 *
 * Several nodes on one PostgreSQL may sweep at once: `endIfIdle` checks again under the conversation's lock,
 * and the version check of `save` lets one of them end it.
 */
export class IdleSweeper {
  readonly #deps: IdleSweeperDeps;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(deps: IdleSweeperDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /** How often `start` sweeps: a quarter of the shortest idle timeout of the loaded bots, within 1 s…60 s. */
  get intervalMs(): number {
    const timeouts = this.#deps.bots
      .list()
      .map((b) => b.settings.idleTimeoutMinutes)
      .filter((m) => m > 0);
    if (timeouts.length === 0) return MAX_INTERVAL_MS;
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (Math.min(...timeouts) * 60_000) / 4));
  }

  /** Sweeps every `intervalMs` (the first time one interval after the start), in the background, until `stop`. */
  start(): void {
    if (this.#timer !== undefined) return;
    const tick = (): void => {
      void this.sweep().finally(() => {
        if (this.#timer !== undefined) this.#timer = setTimeout(tick, this.intervalMs).unref();
      });
    };
    this.#timer = setTimeout(tick, this.intervalMs).unref();
  }

  /** Stops sweeping; resolves once a sweep under way has finished. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sweeping;
  }

  /** Ends every conversation idle past its bot's timeout (up to 200 per bot); returns how many it ended. */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepOnce().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweepOnce(): Promise<number> {
    let ended = 0;
    for (const bot of this.#deps.bots.list()) {
      const minutes = bot.settings.idleTimeoutMinutes;
      if (!(minutes > 0)) continue;
      const before = new Date(this.#now().getTime() - minutes * 60_000).toISOString();
      let idle: Array<{ id: string }>;
      try {
        idle = await this.#deps.storage.conversations.idle({ botId: bot.id, before, limit: PER_SWEEP });
      } catch (err) {
        this.#deps.logger.warn(
          { err, bot: bot.id },
          'could not look for idle conversations; the next sweep tries again',
        );
        continue;
      }
      let endedHere = 0;
      for (const { id } of idle) {
        try {
          if (await this.#deps.service.endIfIdle(id, before)) endedHere++;
        } catch (err) {
          // One conversation that cannot be ended (its bot gone, a storage error) does not hold up the others.
          this.#deps.logger.warn(
            { err, bot: bot.id, conversationId: id },
            'could not end an idle conversation; the next sweep tries again',
          );
        }
      }
      if (endedHere > 0)
        this.#deps.logger.info(
          { bot: bot.id, idleMinutes: minutes, ended: endedHere },
          'ended idle conversations',
        );
      ended += endedHere;
    }
    return ended;
  }
}
