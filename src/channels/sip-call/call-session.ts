import type { Logger } from 'pino';
import type { Bot } from '../../core/bot.ts';
import type { ChannelInput, ConversationService, TurnResult } from '../../runtime/conversation-service.ts';
import { activeBot } from '../../runtime/conversation-service.ts';
import { speechGrammarFor, type SpeechGrammar } from '../../speech/speech-grammar.ts';
import { digitsFromWords } from '../../speech/spoken-digits.ts';
import type { SttProvider } from '../../speech/stt-port.ts';
import type { TtsCache } from '../../speech/tts-cache.ts';
import type { ConversationRecord } from '../../storage/port.ts';
import type { VadEvent } from '../../voice/barge-in/energy-vad.ts';
import type { Clock } from '../../voice/clock.ts';
import type { DtmfDigit, Frame } from '../../voice/frames.ts';
import type { IncomingCall } from '../sip/incoming-call.ts';
import { AnswerCollector, STT_RATE_HZ, type Answer } from './answer-collector.ts';
import type { CallMedia } from './call-media.ts';
import { bridgeMedia } from './media-bridge.ts';
import type { CallRecord } from './call-registry.ts';
import { transferCall, type TransferOutcome, type TransferTargets } from './call-transfer.ts';
import { playPrompts } from './prompt-player.ts';
import type { SandboxLine } from './sandbox-line.ts';
import type { SipSessionValues } from './session-values.ts';
import { planTurn, spokenText } from './turn-plan.ts';
import { encodeUserToUser } from './user-to-user.ts';
import { askSettings, type AskSettings } from './voice-settings.ts';

/**
 * One answered call joined to a conversation: the bot's prompts are spoken (barge-in as the question
 * allows), its questions answered by keypad or voice, its hand-offs performed as SIP transfers carrying the
 * session-history key, and a hang-up on either side ends the conversation. The caller never waits in
 * silence: a speech or service failure takes the bot's error path, a failed transfer plays the bot's
 * `agentUnavailable` and tries the fallback target or goes back to the bot, and an internal error says the
 * bot's error message and transfers to the fallback target (or hangs up).
 */

export type CallLeg = Pick<IncomingCall, 'callId' | 'ended' | 'state' | 'bye' | 'refer' | 'onInfo'>;

/** A call placed to an agent for a bridge: its media, its end, and how to hang it up. */
export interface BridgeLeg {
  media: CallMedia;
  ended: Promise<unknown>;
  hangUp(): Promise<void>;
}

/** Places the bridge leg to `target` with the context headers; a string says why it failed (`486`, `no common media`). */
export type Dialer = (target: string, headers: Record<string, string>, signal: AbortSignal) => Promise<BridgeLeg | string>;
export type CallRoute = { kind: 'bot'; botId: string } | { kind: 'sandbox'; line: SandboxLine };

export interface CallServices {
  service: Pick<ConversationService, 'start' | 'send' | 'transferToBot'>;
  bots: { get(id: string): { bot: Bot } };
  tts: TtsCache;
  stt?: SttProvider;
  /** Where routing sends an escalated call; asked after the bot's hand-off prompt. */
  transfers?: TransferTargets;
  /** The SIP target of hand-offs that routing leaves to the channel. */
  transferTarget?: string;
  /** Where callers go when a transfer fails or the call cannot go on. */
  fallbackTarget?: string;
  /** A TTS voice for every call; default the provider's voice for the bot's language. */
  voice?: string;
  clock: Clock;
  logger: Logger;
  /** How long a transfer may go without a NOTIFY; default 32 s. */
  referTimeoutMs?: number;
  /** Bridges the caller to a target itself, when the caller's side cannot be transferred by REFER. */
  dial?: Dialer;
  /** Does the caller's side take REFER (its INVITE's Allow)? Default yes. */
  referSupported?: boolean;
}

/** REFER answers that mean the far end cannot transfer: bridge instead. */
const REFER_UNSUPPORTED = new Set([405, 420, 501]);

type Next = 'done' | { input: ChannelInput } | { result: TurnResult };

const SANDBOX_KEYPAD: AskSettings = {
  bargein: true,
  dtmf: true,
  speech: false,
  timeoutMs: 10_000,
  maxSpeechMs: 0,
  keypad: { timeoutMs: 10_000, interdigittimeoutMs: 5000, termtimeoutMs: 0, termchar: '#', minDigits: 4, maxDigits: 8, allowed: '0123456789' },
};

export class CallSession {
  readonly #abort = new AbortController();
  #collector: AnswerCollector | undefined;
  readonly #typeahead: DtmfDigit[] = [];
  #conversation: ConversationRecord | undefined;
  #endReason: string | undefined;
  #speechFailures = 0;

  constructor(
    private readonly leg: CallLeg,
    private readonly media: CallMedia,
    private readonly route: CallRoute,
    private readonly values: SipSessionValues,
    private readonly deps: CallServices,
    private readonly onChange: (change: Partial<CallRecord>) => void = () => undefined,
  ) {}

  /** Voice activity on the caller's audio (from the media layer's barge-in detector). */
  onSpeech(event: VadEvent): void {
    this.#collector?.speech(event);
  }

  get endReason(): string | undefined {
    return this.#endReason;
  }

  async run(): Promise<void> {
    const offFrame = this.media.onFrame((frame) => this.#frame(frame));
    const offInfo = this.leg.onInfo((info) => {
      if (info.contentType) this.media.receiveInfoDtmf(info.contentType, info.body.toString('utf8'));
    });
    void this.leg.ended.then(() => {
      this.#endReason ??= 'caller-hangup';
      this.#abort.abort();
      this.#collector?.cancel();
    });
    try {
      const botId = this.route.kind === 'bot' ? this.route.botId : await this.#sandboxLogin(this.route.line);
      if (!botId) return;
      this.onChange({ botId });
      const sandbox = this.route.kind === 'sandbox' ? { sandbox: true } : {};
      let result = await this.deps.service.start(botId, { channel: 'voice', customer: this.values.from, session: { ...this.values, ...sandbox } });
      this.#conversation = result.conversation;
      this.onChange({ conversationId: result.conversation.id });
      while (!this.#abort.signal.aborted) {
        const next = await this.#perform(result);
        if (next === 'done') break;
        result = 'input' in next ? await this.deps.service.send(result.conversation.id, next.input) : next.result;
        this.#conversation = result.conversation;
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) await this.#internalError(error);
    } finally {
      offFrame();
      offInfo();
      this.#collector?.cancel();
      await this.#endConversation();
      if (this.leg.state !== 'ended') await this.leg.bye().catch(() => undefined);
      await this.media.close(this.#endReason ?? 'ended');
    }
  }

  #frame(frame: Frame): void {
    if (frame.type === 'audio') this.#collector?.audio(frame.samples);
    else if (frame.type === 'dtmf') {
      if (this.#collector) this.#collector.key(frame.digit);
      else if (this.#typeahead.length < 32) this.#typeahead.push(frame.digit);
    }
  }

  #voice(bot?: Bot): string | undefined {
    return this.deps.voice ?? this.deps.tts.provider.voiceFor(bot?.language ?? 'en');
  }

  async #perform(result: TurnResult): Promise<Next> {
    const conversation = result.conversation;
    const bot = this.deps.bots.get(activeBot(conversation)).bot;
    const plan = planTurn(result.actions);
    if (plan.ask) {
      const settings = askSettings(bot, plan.ask);
      const grammar = settings.speech && this.deps.stt ? speechGrammarFor({ expect: plan.ask.expect, intents: bot.intents, grammars: plan.ask.grammars }) : undefined;
      const answer = await this.#collect(plan.prompts, settings, bot, grammar);
      return this.#inputFor(answer, grammar);
    }
    const spoke = await this.#say(plan.prompts, bot);
    if (this.#abort.signal.aborted) return 'done';
    if (conversation.status === 'escalated' || plan.transferTo) return this.#handOff(conversation, bot, plan.transferTo);
    if (!spoke && conversation.status === 'active') return { input: { event: 'error' } };
    this.#endReason ??= 'bot-hangup';
    return 'done';
  }

  /** Plays the prompts and collects the answer to the question they end with. */
  async #collect(prompts: readonly string[], settings: AskSettings, bot: Bot | undefined, grammar?: SpeechGrammar): Promise<Answer> {
    const stt = this.deps.stt;
    const language = bot?.language ?? 'en';
    const signal = this.#abort.signal;
    const collector = new AnswerCollector({
      clock: this.deps.clock,
      settings,
      inboundRateHz: this.media.media.codec.sampleRateHz,
      ...(stt && settings.speech ? { recognise: () => stt.start({ language, sampleRateHz: STT_RATE_HZ, ...(grammar ? { grammar } : {}), signal }) } : {}),
    });
    this.#collector = collector;
    if (collector.accepting) for (const digit of this.#typeahead.splice(0)) collector.key(digit);
    else this.#typeahead.length = 0;
    const playing = this.#play(prompts, settings.bargein, bot).then((failure) => (failure === undefined ? collector.promptsDone() : collector.fail(failure)));
    const answer = await collector.answer;
    await playing;
    this.#collector = undefined;
    return answer;
  }

  #inputFor(answer: Answer, grammar: SpeechGrammar | undefined): Next {
    switch (answer.type) {
      case 'digits':
        return { input: { digits: answer.digits } };
      case 'speech': {
        const digits = grammar?.digits ? digitsFromWords(answer.text) : undefined;
        return { input: { text: digits ?? answer.text, asrConfidence: answer.confidence } };
      }
      case 'noInput':
        return { input: { event: 'noInput' } };
      case 'noMatch':
        return { input: { event: 'noMatch' } };
      case 'error':
        this.deps.logger.error({ err: answer.error, callId: this.leg.callId }, 'speech failed on a call: the bot takes its error path');
        return this.#speechFailed();
      case 'cancelled':
        return 'done';
    }
  }

  /** The bot's error path takes a speech failure; twice in a row, the call cannot go on. */
  #speechFailed(): Next {
    if (++this.#speechFailures >= 3) throw new Error('speech keeps failing on this call');
    return { input: { event: 'error' } };
  }

  /** Plays prompts that cannot be interrupted; false when they could not be rendered. */
  async #say(prompts: readonly string[], bot?: Bot): Promise<boolean> {
    const failure = await this.#play(prompts, false, bot);
    if (failure === undefined) return true;
    this.deps.logger.error({ err: failure, callId: this.leg.callId }, 'a prompt could not be rendered');
    if (++this.#speechFailures >= 3) throw new Error('speech keeps failing on this call');
    return false;
  }

  /** Plays prompts; resolves with the rendering error, if any. */
  async #play(prompts: readonly string[], bargein: boolean, bot?: Bot): Promise<unknown> {
    if (prompts.length === 0 || this.#abort.signal.aborted) return undefined;
    try {
      const voice = this.#voice(bot);
      await playPrompts(this.media, this.deps.tts, prompts, { bargein, signal: this.#abort.signal, ...(voice ? { voice } : {}) });
      this.#speechFailures = 0;
      return undefined;
    } catch (error) {
      return error ?? new Error('prompt failed');
    }
  }

  async #handOff(conversation: ConversationRecord, bot: Bot, explicitTarget?: string): Promise<Next> {
    this.onChange({ state: 'transferring' });
    let target = explicitTarget;
    let headers: Record<string, string> = {};
    if (!target) {
      const routed = await this.#routedTransfer(conversation.id);
      if (routed) {
        headers = routed.headers;
        target = routed.target ?? undefined;
      }
    }
    target ??= this.deps.transferTarget;
    const context = this.#contextHeaders(conversation, headers);
    if (target && (await this.#refer(target, context)).ok) return 'done';
    if (this.#abort.signal.aborted) return 'done';
    await this.#say([spokenText(bot.responses.agentUnavailable)], bot);
    const fallback = this.deps.fallbackTarget;
    if (fallback && fallback !== target && (await this.#refer(fallback, context)).ok) return 'done';
    if (this.#abort.signal.aborted) return 'done';
    this.onChange({ state: 'active' });
    // Back to the bot, at its main menu: its greeting is not said again.
    const back = await this.deps.service.transferToBot(conversation.id, activeBot(conversation), { transferFailed: true });
    const firstSay = back.actions.findIndex((a) => a.type === 'say');
    return { result: { ...back, actions: back.actions.filter((_, i) => i !== firstSay) } };
  }

  /** Routing's answer may lag the turn that escalated by a moment: ask a few times. */
  async #routedTransfer(conversationId: string): Promise<{ target: string | null; headers: Record<string, string> } | undefined> {
    const transfers = this.deps.transfers;
    if (!transfers) return undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const found = await transfers.resolve(conversationId).catch((err: unknown) => {
        this.deps.logger.warn({ err, conversationId }, 'asking routing for the transfer target failed');
        return undefined;
      });
      if (found || this.#abort.signal.aborted) return found;
      await new Promise<void>((resolve) => this.deps.clock.setTimer(150, resolve));
    }
    return undefined;
  }

  #contextHeaders(conversation: ConversationRecord, routed: Record<string, string>): Record<string, string> {
    return {
      ...routed,
      'X-Session-History-Key': conversation.historyKey,
      'User-to-User': encodeUserToUser(`historyKey=${conversation.historyKey}`),
    };
  }

  /** A blind transfer by REFER, or a bridge when the caller's side does not do REFER. */
  async #refer(target: string, headers: Record<string, string>): Promise<TransferOutcome> {
    if (this.deps.referSupported === false && this.deps.dial) return this.#bridge(target, headers);
    const outcome = await this.#sendRefer(target, headers);
    if (!outcome.ok && outcome.reason === 'rejected' && outcome.status !== undefined && REFER_UNSUPPORTED.has(outcome.status) && this.deps.dial) {
      return this.#bridge(target, headers);
    }
    return outcome;
  }

  /** Parley stays in the call (B2BUA): it calls the target and joins the two calls' media until either side hangs up. */
  async #bridge(target: string, headers: Record<string, string>): Promise<TransferOutcome> {
    const placed = await this.deps.dial!(target, headers, this.#abort.signal);
    if (typeof placed === 'string') {
      this.onChange({ transfer: { target, result: `bridge failed: ${placed}` } });
      return { ok: false, reason: 'failed', ...(/^\d+$/.test(placed) ? { status: Number(placed) } : {}) };
    }
    this.onChange({ transfer: { target, result: 'bridged' } });
    this.deps.logger.info({ callId: this.leg.callId }, 'SIP call bridged to the transfer target');
    const separate = bridgeMedia(this.media, placed.media);
    const callerLeft = await Promise.race([this.leg.ended.then(() => true), placed.ended.then(() => false)]);
    separate();
    if (callerLeft) await placed.hangUp().catch(() => undefined);
    await placed.media.close('bridge-ended');
    this.#endReason = callerLeft ? 'bridged, caller-hangup' : 'bridged, agent-hangup';
    if (this.leg.state !== 'ended') await this.leg.bye().catch(() => undefined);
    return { ok: true, left: true };
  }

  async #sendRefer(target: string, headers: Record<string, string>): Promise<TransferOutcome> {
    const outcome = await transferCall(this.leg, target, {
      headers,
      signal: this.#abort.signal,
      ...(this.deps.referTimeoutMs !== undefined ? { idleTimeoutMs: this.deps.referTimeoutMs } : {}),
    });
    const result = outcome.ok ? ('left' in outcome ? 'caller-left' : `ok ${outcome.status}`) : `${outcome.reason}${outcome.status ? ` ${outcome.status}` : ''}`;
    this.onChange({ transfer: { target, result } });
    this.deps.logger.info({ callId: this.leg.callId, result }, 'SIP transfer finished');
    if (outcome.ok) {
      this.#endReason = 'transferred';
      if (this.leg.state !== 'ended') await this.leg.bye().catch(() => undefined);
    }
    return outcome;
  }

  async #internalError(error: unknown): Promise<void> {
    this.deps.logger.error({ err: error, callId: this.leg.callId }, 'call failed: the caller goes to the fallback');
    this.#endReason = 'error';
    if (this.leg.state !== 'confirmed') return;
    let bot: Bot | undefined;
    try {
      bot = this.#conversation ? this.deps.bots.get(activeBot(this.#conversation)).bot : undefined;
    } catch {
      bot = undefined;
    }
    await this.#play([bot ? spokenText(bot.responses.error) : "I'm sorry, something went wrong on our side."], false, bot);
    const fallback = this.deps.fallbackTarget;
    if (fallback && !this.#abort.signal.aborted) {
      await this.#refer(fallback, this.#conversation ? this.#contextHeaders(this.#conversation, {}) : {});
    }
  }

  /** A conversation still open when the call is over ends with the caller's hang-up (outcome by the engine). */
  async #endConversation(): Promise<void> {
    const conversation = this.#conversation;
    if (!conversation || conversation.status === 'ended') return;
    try {
      const result = await this.deps.service.send(conversation.id, { event: 'hangup' });
      this.#conversation = result.conversation;
    } catch (err) {
      if ((err as { code?: string }).code !== 'PARLEY_ERR_CONVERSATION_ENDED') this.deps.logger.error({ err, conversationId: conversation.id }, 'ending the conversation failed');
    }
  }

  async #sandboxLogin(line: SandboxLine): Promise<string | undefined> {
    for (let attempt = 0; attempt < 3 && !this.#abort.signal.aborted; attempt++) {
      const prompt = attempt === 0 ? 'Welcome to the Parley sandbox. Please key in the PIN of the bot you want to reach, then press pound.' : 'Please key in the bot PIN, then press pound.';
      const answer = await this.#collect([prompt], SANDBOX_KEYPAD, undefined);
      if (answer.type === 'cancelled') return undefined;
      if (answer.type === 'digits') {
        const botId = line.botForPin(answer.digits);
        if (botId) return botId;
        await this.#say(['That PIN does not match a bot.']);
      }
    }
    await this.#say(['Goodbye.']);
    this.#endReason = 'sandbox-no-pin';
    return undefined;
  }
}
