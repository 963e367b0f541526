import type { Bot } from '../core/bot.ts';
import { ParleyError } from '../errors.ts';
import type { NluEngine, NluModel } from '../nlu/port.ts';
import { Masker } from './masker.ts';

export interface LoadedBot {
  bot: Bot;
  nlu: NluModel;
  masker: Masker;
}

/** The bots this process serves, each with its trained NLU model. */
export class BotRegistry {
  private readonly bots = new Map<string, LoadedBot>();

  constructor(private readonly engine: NluEngine) {}

  async add(bot: Bot, signal?: AbortSignal): Promise<LoadedBot> {
    const nlu = await this.engine.train({ language: bot.language, intents: bot.intents, entities: bot.entities }, signal);
    const loaded = { bot, nlu, masker: new Masker(bot) };
    this.bots.set(bot.id, loaded);
    return loaded;
  }

  get(id: string): LoadedBot {
    const b = this.bots.get(id);
    if (!b) {
      throw new ParleyError('PARLEY_ERR_BOT_NOT_FOUND', `no bot '${id}' is loaded (loaded: ${[...this.bots.keys()].join(', ') || 'none'})`);
    }
    return b;
  }

  has(id: string): boolean {
    return this.bots.has(id);
  }

  list(): Bot[] {
    return [...this.bots.values()].map((b) => b.bot);
  }
}
