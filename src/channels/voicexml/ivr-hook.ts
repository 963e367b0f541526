/**
 * One request of the IVR webhook (`GET|POST /ivr/hooks/{botId}?token=…`) turned into the conversation
 * turn it means and the VoiceXML document that answers it. Transport-free: the HTTP route checks the
 * token, merges query and form parameters, and sends the document back as `application/voicexml+xml`.
 *
 * The opening request (no `session` parameter) starts a conversation on the `ivr` channel (`from` is the
 * customer, `session.ivr.*` holds the custom variables) and, when the IVR passes the caller's first words
 * in `message`, answers them at once. Later requests carry `session=<reference>` in the URL the documents
 * submit to: the conversation id itself, or a signed reference when `options.session` is given (the server
 * passes one, see `apps/session-ref.ts`).
 *
 * An error the IVR reports (`error.*`) runs the bot's error path, then ends the conversation as the caller
 * hanging up would: the IVR has already returned, nobody is left to answer.
 */
import type { ChannelInput } from '../../runtime/conversation-service.ts';
import type { Action, AskAction } from '../../core/action.ts';
import type { Bot } from '../../core/bot.ts';
import type { ConversationState } from '../../core/state.ts';
import { isParleyError } from '../../errors.ts';
import { renderVxml, renderVxmlFailure, type ConversationSummary, type IvrRenderOptions } from './render.ts';
import type { VxmlDocumentCache } from './document-cache.ts';
import type { ReturnNames } from './return-contract.ts';
import { readIvrStart, readIvrSubmission, type IvrParams, type IvrTurn } from './submission.ts';
import { submitUrl } from './submit-url.ts';

export const SESSION_PARAM = 'session';

/** What the channel needs of the conversation runtime (ConversationService fits). */
export interface IvrConversationPort {
  start(botId: string, options: { channel: 'ivr'; customer?: string; session?: Record<string, unknown> }): Promise<IvrTurnResult>;
  send(id: string, input: ChannelInput): Promise<IvrTurnResult>;
}

export interface IvrTurnResult {
  conversation: { id: string; historyKey: string; state: ConversationState };
  actions: Action[];
}

export interface IvrHookRequest {
  bot: Pick<Bot, 'id' | 'language' | 'settings'>;
  /** Query and form-urlencoded body, merged. */
  params: IvrParams;
  /**
   * The webhook URL as the IVR called it (with its token); the session parameter is set on it. A path
   * (`/ivr/hooks/bank?token=…`) stays relative in the documents: the IVR resolves it against the document's URL.
   */
  hookUrl: string;
}

/** Turns a conversation id into the `session` parameter of the submit URL, and back. */
export interface IvrSessionCodec {
  issue(conversationId: string): string;
  open(ref: string): { ok: true; conversationId: string } | { ok: false; reason: string };
}

export interface IvrHookOptions {
  method?: 'get' | 'post';
  /** Default: the conversation id itself (only for tests and trusted networks). */
  session?: IvrSessionCodec;
  /** Reuses rendered documents across calls (the server passes one per process). */
  documents?: VxmlDocumentCache;
  returnNames?: Partial<ReturnNames>;
  /** Where the bot's intent grammar is served (`IntentGrammars.pathFor`); see `IvrRenderOptions.intentGrammar`. */
  intentGrammar?: string;
  onWarning?: (message: string) => void;
}

export interface IvrHookResponse {
  vxml: string;
  /** The HTTP status to answer with: 200, or 403 for a session reference that is forged or expired. */
  status: number;
  conversationId?: string;
  /** What the request was: `start`, an input turn type, or `rejected` (a failure document was sent). */
  kind: 'start' | IvrTurn['type'] | 'rejected';
}

/** Longest run of engine turns used to replay retries the document already made (see `exhaust`). */
const MAX_RETRY_REPLAY = 11;

function lastAsk(actions: readonly Action[]): AskAction | undefined {
  return actions.findLast((a): a is AskAction => a.type === 'ask');
}

/** The return's view of the conversation (render masks the sensitive entities). */
export function summarize(result: IvrTurnResult): ConversationSummary {
  const { state, historyKey } = result.conversation;
  return { ...(state.lastIntent ? { intent: state.lastIntent.name } : {}), entities: state.vars.entities, historyKey, sensitive: state.sensitive };
}

/**
 * The document ran out of retries on its own (it re-prompted as the node says); the engine is given the
 * same no-inputs/no-matches until it leaves the question, so it applies the node's exhausted behaviour and
 * the transcript shows each attempt. The last step's actions answer.
 */
async function exhaust(port: IvrConversationPort, id: string, event: 'noInput' | 'noMatch'): Promise<IvrTurnResult> {
  let result = await port.send(id, { event });
  const asked = lastAsk(result.actions)?.nodeRef;
  for (let i = 1; i < MAX_RETRY_REPLAY && asked !== undefined && lastAsk(result.actions)?.nodeRef === asked && result.conversation.state.status === 'active'; i++) {
    result = await port.send(id, { event });
  }
  return result;
}

async function perform(port: IvrConversationPort, id: string, turn: IvrTurn): Promise<IvrTurnResult | undefined> {
  switch (turn.type) {
    case 'text':
      return port.send(id, { text: turn.text, ...(turn.mode === 'voice' && turn.confidence !== undefined ? { asrConfidence: turn.confidence } : {}) });
    case 'dtmf':
      return port.send(id, { digits: turn.digits });
    case 'noInput':
      return turn.exhausted ? exhaust(port, id, 'noInput') : port.send(id, { event: 'noInput' });
    case 'noMatch':
      return turn.exhausted ? exhaust(port, id, 'noMatch') : port.send(id, { event: 'noMatch' });
    case 'hangup':
      return port.send(id, { event: 'hangup' });
    case 'error': {
      const result = await port.send(id, { event: 'error', data: { ivrEvent: turn.event } });
      return result.conversation.state.status === 'ended' ? result : port.send(id, { event: 'hangup', reason: 'error' });
    }
    case 'continue':
      return undefined;
  }
}

export async function handleIvrHook(request: IvrHookRequest, port: IvrConversationPort, options: IvrHookOptions = {}): Promise<IvrHookResponse> {
  const { bot, params } = request;
  const codec: IvrSessionCodec = options.session ?? { issue: (id) => id, open: (ref) => ({ ok: true, conversationId: ref }) };
  const base: Omit<IvrRenderOptions, 'submitUrl'> = {
    settings: bot.settings.ivr,
    language: bot.language,
    ...(options.method ? { method: options.method } : {}),
    ...(options.returnNames ? { returnNames: options.returnNames } : {}),
    ...(options.intentGrammar ? { intentGrammar: options.intentGrammar } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
  const answer = (result: IvrTurnResult, kind: IvrHookResponse['kind']): IvrHookResponse => {
    const render = { ...base, submitUrl: submitUrl(request.hookUrl, SESSION_PARAM, codec.issue(result.conversation.id)), conversation: summarize(result) };
    const vxml = options.documents ? options.documents.render(result.actions, render) : renderVxml(result.actions, render);
    return { vxml, status: 200, conversationId: result.conversation.id, kind };
  };
  const reject = (error: string, status = 200): IvrHookResponse => ({ vxml: renderVxmlFailure({ ...base, submitUrl: submitUrl(request.hookUrl, SESSION_PARAM, undefined), error }), status, kind: 'rejected' });

  const session = params[SESSION_PARAM];
  try {
    if (!session) {
      const start = readIvrStart(params);
      const started = await port.start(bot.id, {
        channel: 'ivr',
        ...(start.from ? { customer: start.from } : {}),
        session: { ...(start.from ? { from: start.from } : {}), ...(start.to ? { to: start.to } : {}), ivr: start.custom },
      });
      if (!start.message || started.conversation.state.status !== 'active') return answer(started, 'start');
      return answer(await port.send(started.conversation.id, { text: start.message }), 'start');
    }
    const opened = codec.open(session);
    if (!opened.ok) return reject(`error.parley.session.${opened.reason.replace(/[^a-z]/g, '')}`, 403);
    const turn = readIvrSubmission(params, bot.settings.ivr);
    if (!turn) return reject('error.parley.badrequest');
    const result = await perform(port, opened.conversationId, turn);
    return result ? answer(result, turn.type) : reject('error.parley.nothingtocontinue');
  } catch (error) {
    if (isParleyError(error) && (error.code === 'PARLEY_ERR_CONVERSATION_NOT_FOUND' || error.code === 'PARLEY_ERR_CONVERSATION_ENDED')) {
      return reject(error.code === 'PARLEY_ERR_CONVERSATION_ENDED' ? 'error.parley.conversationended' : 'error.parley.noconversation');
    }
    throw error;
  }
}
