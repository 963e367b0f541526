/**
 * One request of the IVR webhook (`GET|POST /ivr/hooks/{botId}?token=…`) turned into the conversation
 * turn it means and the VoiceXML document that answers it. Transport-free: the HTTP route checks the
 * token, merges query and form parameters, and sends the document back as `application/voicexml+xml`.
 *
 * The opening request (no `session` parameter) starts a conversation on the `ivr` channel (`from` is the
 * customer, `session.ivr.*` holds the custom variables) and, when the IVR passes the caller's first words
 * in `message`, answers them at once. Later requests carry `session=<conversation id>` in the URL the
 * documents submit to.
 */
import type { Action, AskAction } from '../../core/action.ts';
import type { Bot } from '../../core/bot.ts';
import type { ConversationState } from '../../core/state.ts';
import { isParleyError } from '../../errors.ts';
import { renderVxml, renderVxmlFailure, type ConversationSummary, type IvrRenderOptions } from './render.ts';
import type { ReturnNames } from './return-contract.ts';
import { readIvrStart, readIvrSubmission, type IvrParams, type IvrTurn } from './submission.ts';

export const SESSION_PARAM = 'session';

/** What the channel needs of the conversation runtime (ConversationService fits). */
export interface IvrConversationPort {
  start(botId: string, options: { channel: 'ivr'; customer?: string; session?: Record<string, unknown> }): Promise<IvrTurnResult>;
  send(id: string, input: { text: string; asrConfidence?: number } | { digits: string } | { event: string; data?: Record<string, unknown> }): Promise<IvrTurnResult>;
}

export interface IvrTurnResult {
  conversation: { id: string; historyKey: string; state: ConversationState };
  actions: Action[];
}

export interface IvrHookRequest {
  bot: Pick<Bot, 'id' | 'language' | 'settings'>;
  /** Query and form-urlencoded body, merged. */
  params: IvrParams;
  /** The webhook URL as the IVR called it (with its token); the session parameter is set on it. */
  hookUrl: string;
}

export interface IvrHookOptions {
  method?: 'get' | 'post';
  returnNames?: Partial<ReturnNames>;
  onWarning?: (message: string) => void;
}

export interface IvrHookResponse {
  vxml: string;
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
    case 'error':
      return port.send(id, { event: 'error', data: { ivrEvent: turn.event } });
    case 'continue':
      return undefined;
  }
}

export async function handleIvrHook(request: IvrHookRequest, port: IvrConversationPort, options: IvrHookOptions = {}): Promise<IvrHookResponse> {
  const { bot, params } = request;
  const url = new URL(request.hookUrl);
  url.searchParams.delete(SESSION_PARAM);
  const base: Omit<IvrRenderOptions, 'submitUrl'> = {
    settings: bot.settings.ivr,
    language: bot.language,
    ...(options.method ? { method: options.method } : {}),
    ...(options.returnNames ? { returnNames: options.returnNames } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
  const answer = (result: IvrTurnResult, kind: IvrHookResponse['kind']): IvrHookResponse => {
    url.searchParams.set(SESSION_PARAM, result.conversation.id);
    const vxml = renderVxml(result.actions, { ...base, submitUrl: url.toString(), conversation: summarize(result) });
    return { vxml, conversationId: result.conversation.id, kind };
  };
  const reject = (error: string): IvrHookResponse => ({ vxml: renderVxmlFailure({ ...base, submitUrl: url.toString(), error }), kind: 'rejected' });

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
    const turn = readIvrSubmission(params, bot.settings.ivr);
    if (!turn) return reject('error.parley.badrequest');
    const result = await perform(port, session, turn);
    return result ? answer(result, turn.type) : reject('error.parley.nothingtocontinue');
  } catch (error) {
    if (isParleyError(error) && (error.code === 'PARLEY_ERR_CONVERSATION_NOT_FOUND' || error.code === 'PARLEY_ERR_CONVERSATION_ENDED')) {
      return reject(error.code === 'PARLEY_ERR_CONVERSATION_ENDED' ? 'error.parley.conversationended' : 'error.parley.noconversation');
    }
    throw error;
  }
}
