import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Action } from '../core/action.ts';
import type { Channel } from '../core/bot.ts';
import { currentExpectation } from '../core/expectation.ts';
import type { Input, Understanding } from '../core/input.ts';
import { initialState, type ConversationState } from '../core/state.ts';
import { step } from '../core/step.ts';
import { ParleyError } from '../errors.ts';
import { VersionConflictError, type ConversationRecord, type Storage, type TurnRecord } from '../storage/port.ts';
import { RecordCache } from './record-cache.ts';
import type { BotRegistry, LoadedBot } from './bot-registry.ts';
import type { HandoffPort } from './handoff.ts';
import { KeyedLock } from './keyed-lock.ts';
import type { ServiceCaller } from './service-caller.ts';
import { timeOrderedUuid } from './time-ordered-id.ts';

/** What a channel hands over for one customer turn. */
export type ChannelInput =
  | { text: string; asrConfidence?: number }
  | { digits: string }
  | { event: 'noInput' | 'noMatch' }
  /** `reason: 'error'` when the channel failed (an IVR's error event): the conversation is abandoned. */
  | { event: 'hangup'; reason?: string }
  /** Nobody wrote for the bot's idle timeout (`endIfIdle`): ends as a hang-up. */
  | { event: 'idle' }
  | { event: string; data?: Record<string, unknown> };

export interface StartOptions {
  channel: Channel;
  /** The customer's identity on the channel (caller number, chat user id). */
  customer?: string;
  /** Values for the `session.` scope, e.g. `{ from, to, ivr: {...}, sip: { headers } }`. */
  session?: Record<string, unknown>;
}

export interface TurnResult {
  conversation: ConversationRecord;
  /** Everything the bot did in this turn, in order. */
  actions: Action[];
}

export interface TurnEvent {
  conversation: ConversationRecord;
  turns: TurnRecord[];
  actions: Action[];
}

export interface ConversationServiceDeps {
  bots: BotRegistry;
  storage: Storage;
  services: ServiceCaller;
  handoff: HandoffPort;
  logger: Logger;
  now?: () => Date;
}

/** Feedback loops (service calls, hand-offs) allowed inside one customer turn. */
const maxInternalSteps = 20;

/**
 * Runs conversations: joins the pure dialog engine to the NLU, service calls, hand-offs and storage.
 * Every turn is persisted (state and transcript in one transaction) before its result is returned.
 */
export class ConversationService {
  private readonly lock = new KeyedLock();
  private readonly cache = new RecordCache();
  private readonly listeners = new Set<(e: TurnEvent) => void>();
  private readonly now: () => Date;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Called after every persisted turn (live chat sockets, supervisor views). */
  subscribe(listener: (e: TurnEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(botId: string, options: StartOptions): Promise<TurnResult> {
    const loaded = this.deps.bots.get(botId);
    const started = this.now();
    const at = started.toISOString();
    const id = timeOrderedUuid(started.getTime());
    const user = options.customer ? await this.deps.storage.users.get(botId, options.customer) : {};
    const state = initialState({
      session: { ...(options.session ?? {}), channel: options.channel, conversationId: id },
      user,
      bot: loaded.bot.variables,
    });
    const record: ConversationRecord = {
      id,
      botId,
      channel: options.channel,
      status: 'active',
      outcome: null,
      customer: options.customer ?? null,
      startedAt: at,
      updatedAt: at,
      endedAt: null,
      historyKey: randomBytes(18).toString('base64url'),
      state,
      turnCount: 0,
      version: 1,
    };
    const turns: TurnRecord[] = [];
    const actions = await this.run(loaded, record, { type: 'start' }, turns);
    record.turnCount = turns.length;
    await this.deps.storage.conversations.create(record, turns);
    this.cache.set(record);
    await this.afterSave(loaded, record, turns, actions);
    return { conversation: record, actions };
  }

  async send(id: string, input: ChannelInput, signal?: AbortSignal): Promise<TurnResult> {
    return this.lock.run(id, () => this.retryOnConflict(id, async () => {
      const stored = await this.load(id);
      if (!stored) throw new ParleyError('PARLEY_ERR_CONVERSATION_NOT_FOUND', `no conversation '${id}'`);
      if (stored.status === 'ended') {
        throw new ParleyError('PARLEY_ERR_CONVERSATION_ENDED', `conversation '${id}' has ended (${stored.outcome ?? 'no outcome'})`);
      }
      return this.turn(stored, input, signal);
    }));
  }

  /**
   * Ends a conversation the customer has left: if it is still with the bot (active) and its last turn is
   * older than `idleBefore` (ISO 8601), an `[idle]` turn ends it as a hang-up would (resolved if the bot
   * finished a dialog for the customer, abandoned otherwise). Returns the turn, or undefined when the
   * conversation moved on meanwhile (a new message, an agent, another node's sweep).
   */
  async endIfIdle(id: string, idleBefore: string): Promise<TurnResult | undefined> {
    const cutoff = Date.parse(idleBefore);
    return this.lock.run(id, () => this.retryOnConflict(id, async () => {
      const stored = await this.load(id);
      if (!stored || stored.status !== 'active' || !(Date.parse(stored.updatedAt) < cutoff)) return undefined;
      return this.turn(stored, { event: 'idle' });
    }));
  }

  /** One turn of a conversation that is not over, under its lock: understood, stepped, saved, announced. */
  private async turn(stored: ConversationRecord, input: ChannelInput, signal?: AbortSignal): Promise<TurnResult> {
    const loaded = this.deps.bots.get(activeBot(stored));
    const record: ConversationRecord = { ...stored, version: stored.version + 1 };
    const turns: TurnRecord[] = [];
    const seq = { next: stored.turnCount + 1 };
    const coreInput = await this.understand(loaded, record, input, turns, seq.next, signal);
    const actions = await this.run(loaded, record, coreInput, turns, signal);
    turns.forEach((t, i) => (t.seq = seq.next + i));
    record.turnCount = stored.turnCount + turns.length;
    await this.deps.storage.conversations.save(record, turns);
    this.cache.set(record);
    await this.afterSave(loaded, record, turns, actions);
    return { conversation: record, actions };
  }

  private async load(id: string): Promise<ConversationRecord | undefined> {
    return this.cache.get(id) ?? (await this.deps.storage.conversations.get(id));
  }

  /** Another process changed the conversation since this one cached it: forget the copy and run the turn again. */
  private async retryOnConflict<T>(id: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
      this.cache.delete(id);
      return task();
    }
  }

  /**
   * A human agent's message in an escalated conversation: stored as an `agent` turn (PII patterns masked) and
   * pushed to listeners, which deliver it to the customer.
   */
  async postAgentMessage(id: string, agentId: string, text: string): Promise<ConversationRecord> {
    const r = await this.mutate(id, ['escalated'], (loaded, record, at, turns) => {
      const masked = loaded.masker.text(text, loaded.masker.sensitiveValues(record.state));
      turns.push({ ...this.blankTurn(record, at), speaker: 'agent', text: masked, entities: { agentId } });
    });
    return r.conversation;
  }

  /** The agent ends an escalated conversation: it is over, with the outcome `escalated` and the disposition noted. */
  async endByAgent(id: string, disposition: string): Promise<ConversationRecord> {
    const r = await this.mutate(id, ['escalated'], (_loaded, record, at, turns) => {
      record.state = { ...record.state, status: 'ended', outcome: 'escalated', stack: [], waiting: { for: 'nothing' } };
      turns.push({ ...this.blankTurn(record, at), speaker: 'system', text: `[ended by agent: ${disposition}]` });
    });
    return r.conversation;
  }

  /**
   * Hands an escalated conversation to another bot (an agent's transfer, a post-conversation survey): the bot
   * starts afresh with the session and user variables, and its greeting is returned and pushed to listeners.
   */
  async transferToBot(id: string, botId: string, session: Record<string, unknown> = {}): Promise<TurnResult> {
    const target = this.deps.bots.get(botId);
    return this.mutate(id, ['escalated'], async (_loaded, record, at, turns) => {
      const previous = record.state.vars;
      record.state = initialState({ session: { ...previous.session, ...session, activeBot: botId }, user: previous.user, bot: target.bot.variables });
      turns.push({ ...this.blankTurn(record, at), speaker: 'system', text: `[transferred to bot ${botId}]` });
      return this.run(target, record, { type: 'start' }, turns);
    });
  }

  /** Loads, changes and saves a conversation under its lock; `change` pushes the turns to add and may return actions. */
  private async mutate(
    id: string,
    statuses: ConversationRecord['status'][],
    change: (loaded: LoadedBot, record: ConversationRecord, at: string, turns: TurnRecord[]) => void | Promise<Action[]>,
  ): Promise<TurnResult> {
    return this.lock.run(id, () => this.retryOnConflict(id, async () => {
      const stored = await this.load(id);
      if (!stored) throw new ParleyError('PARLEY_ERR_CONVERSATION_NOT_FOUND', `no conversation '${id}'`);
      if (!statuses.includes(stored.status)) {
        const code = stored.status === 'ended' ? 'PARLEY_ERR_CONVERSATION_ENDED' : 'PARLEY_ERR_CONFLICT';
        throw new ParleyError(code, `conversation '${id}' is ${stored.status}, not ${statuses.join(' or ')}`);
      }
      const record: ConversationRecord = { ...stored, version: stored.version + 1 };
      const at = this.now().toISOString();
      const turns: TurnRecord[] = [];
      const actions = (await change(this.deps.bots.get(activeBot(stored)), record, at, turns)) ?? [];
      turns.forEach((t, i) => (t.seq = stored.turnCount + 1 + i));
      record.turnCount = stored.turnCount + turns.length;
      record.updatedAt = at;
      record.status = record.state.status;
      record.outcome = record.state.outcome ?? null;
      if (record.status === 'ended' && !record.endedAt) record.endedAt = at;
      await this.deps.storage.conversations.save(record, turns);
      this.cache.set(record);
      await this.afterSave(this.deps.bots.get(activeBot(record)), record, turns, actions);
      return { conversation: record, actions };
    }));
  }

  private blankTurn(record: ConversationRecord, at: string): TurnRecord {
    return { conversationId: record.id, seq: 0, speaker: 'system', text: '', channel: record.channel, intent: null, confidence: null, entities: null, sentiment: null, at };
  }

  /** Turns the channel's input into the engine's, recording the customer's turn. */
  private async understand(
    loaded: LoadedBot,
    record: ConversationRecord,
    input: ChannelInput,
    turns: TurnRecord[],
    seq: number,
    signal?: AbortSignal,
  ): Promise<Input> {
    const { expect, sensitive } = currentExpectation(loaded.bot, record.state);
    const at = this.now().toISOString();
    const turn = (text: string, u?: Understanding): TurnRecord => {
      const best = u?.intents[0];
      return {
        conversationId: record.id,
        seq,
        speaker: 'customer',
        text: sensitive ? loaded.masker.whole(text) : loaded.masker.text(text, loaded.masker.sensitiveValues(record.state)),
        channel: record.channel,
        intent: best?.name ?? null,
        confidence: best?.confidence ?? null,
        entities: u && u.entities.length ? this.maskedEntities(loaded, u, sensitive, record.state) : null,
        sentiment: u?.sentiment ?? null,
        at,
      };
    };
    if ('text' in input) {
      let understanding: Understanding;
      try {
        understanding = await loaded.nlu.understand(input.text, { expect, now: this.now(), ...(signal ? { signal } : {}) });
      } catch (err) {
        if (signal?.aborted) throw err;
        // An engine that fails (an external NLU down, an answer it cannot read) sends the conversation down the
        // bot's error path, as a failing service call does: a dialog for the `error.nlu` event, else the error
        // handler. The customer's words are kept in the transcript, without an intent.
        this.deps.logger.warn({ err, conversationId: record.id, botId: loaded.bot.id }, 'the NLU failed; the conversation takes the bot error path');
        turns.push(turn(input.text));
        return { type: 'event', name: 'error.nlu' };
      }
      turns.push(turn(input.text, understanding));
      return {
        type: 'text',
        text: input.text,
        understanding,
        ...(input.asrConfidence !== undefined ? { asrConfidence: input.asrConfidence } : {}),
      };
    }
    if ('digits' in input) {
      turns.push(turn(input.digits));
      return { type: 'dtmf', digits: input.digits };
    }
    // An event (no input, hang-up…) holds no customer words: nothing to mask, even at a sensitive prompt.
    turns.push({ ...turn(''), speaker: 'system', text: `[${input.event}]` });
    if (input.event === 'noInput' || input.event === 'noMatch') return { type: input.event };
    if (input.event === 'hangup') return { type: 'hangup', ...('reason' in input && typeof input.reason === 'string' ? { reason: input.reason } : {}) };
    // The customer left without a word (`endIfIdle`): the conversation ends as on a hang-up.
    if (input.event === 'idle') return { type: 'hangup', reason: 'idle' };
    return { type: 'event', name: input.event, ...('data' in input && input.data ? { data: input.data } : {}) };
  }

  private maskedEntities(loaded: LoadedBot, u: Understanding, sensitive: boolean, state: ConversationState): Record<string, unknown> {
    const raw = Object.fromEntries(u.entities.map((e) => [e.name, e.value]));
    if (sensitive) return Object.fromEntries(Object.keys(raw).map((k) => [k, '****']));
    return loaded.masker.entities(raw, state);
  }

  /** Steps the engine, performing service calls and hand-offs and feeding their results back. */
  private async run(loaded: LoadedBot, record: ConversationRecord, first: Input, turns: TurnRecord[], signal?: AbortSignal): Promise<Action[]> {
    const all: Action[] = [];
    let input: Input | undefined = first;
    for (let i = 0; input && i < maxInternalSteps; i++) {
      const result = step(loaded.bot, record.state, input);
      record.state = result.state;
      all.push(...result.actions);
      this.recordBotTurns(loaded, record, result.actions, turns);
      input = await this.perform(record, result.actions, signal);
    }
    const at = this.now().toISOString();
    record.updatedAt = at;
    record.status = record.state.status;
    record.outcome = record.state.outcome ?? null;
    if (record.status === 'ended' && !record.endedAt) record.endedAt = at;
    return all;
  }

  private async perform(record: ConversationRecord, actions: Action[], signal?: AbortSignal): Promise<Input | undefined> {
    for (const a of actions) {
      if (a.type === 'callService') {
        const result = await this.deps.services.call(a.requestId, a.request, signal);
        if (!result.ok) {
          this.deps.logger.warn({ conversationId: record.id, requestId: a.requestId, error: result.error }, 'service call failed');
        }
        return result;
      }
      if (a.type === 'escalate') {
        try {
          return await this.deps.handoff.escalate({ conversation: record, queue: a.queue, context: a.context });
        } catch (err) {
          this.deps.logger.error({ err, conversationId: record.id }, 'hand-off failed');
          return { type: 'escalationResult', available: false, queue: a.queue };
        }
      }
    }
    return undefined;
  }

  private recordBotTurns(loaded: LoadedBot, record: ConversationRecord, actions: Action[], turns: TurnRecord[]): void {
    const sensitiveValues = loaded.masker.sensitiveValues(record.state);
    const at = this.now().toISOString();
    for (const a of actions) {
      if (a.type !== 'say') continue;
      turns.push({
        conversationId: record.id,
        seq: turns.length + 1,
        speaker: 'bot',
        text: loaded.masker.text(a.prompt.text, sensitiveValues),
        channel: record.channel,
        intent: null,
        confidence: null,
        entities: null,
        sentiment: null,
        at,
      });
    }
  }

  private async afterSave(loaded: LoadedBot, record: ConversationRecord, turns: TurnRecord[], actions: Action[]): Promise<void> {
    if (record.customer && actions.some((a) => a.type === 'setVariable' && a.scope === 'user')) {
      await this.deps.storage.users.set(loaded.bot.id, record.customer, record.state.vars.user);
    }
    for (const l of this.listeners) {
      try {
        l({ conversation: record, turns, actions });
      } catch (err) {
        this.deps.logger.error({ err }, 'turn listener failed');
      }
    }
  }
}

/** The bot answering a conversation now: the one it started with, or the one an agent transferred it to. */
export function activeBot(record: ConversationRecord): string {
  const b = record.state.vars.session.activeBot;
  return typeof b === 'string' ? b : record.botId;
}
