/**
 * The IVR webhook: `GET|POST /ivr/hooks/{botId}?token=<JWT>`, called by an IVR's `<subdialog>` and then by
 * Parley's own documents (`<submit>`, `<data>`). Parameters come from the query string and from a
 * form-urlencoded or multipart body. Every answer is a VoiceXML document (`application/voicexml+xml`):
 * refusals keep their HTTP status (401 token, 403 disabled channel or app, or a forged/expired session
 * reference, 404 unknown bot) and carry a failure document whose `error` names the reason; a refused request
 * never starts a conversation.
 *
 * `GET /ivr/grammars/{botId}/{hash}.grxml` serves the bot's intent grammar, which the documents' open
 * questions refer to when the bot does not transcribe (`channels/voicexml/intent-grammar.ts`).
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { defaultSettings } from '../../../../bot/defaults.ts';
import type { Bot } from '../../../../core/bot.ts';
import { VxmlDocumentCache } from '../../../../channels/voicexml/document-cache.ts';
import { INTENT_GRAMMAR_TYPE, IntentGrammars } from '../../../../channels/voicexml/intent-grammar.ts';
import { handleIvrHook, SESSION_PARAM, type IvrConversationPort, type IvrHookResponse, type IvrSessionCodec } from '../../../../channels/voicexml/ivr-hook.ts';
import { renderVxmlFailure } from '../../../../channels/voicexml/render.ts';
import { isParleyError } from '../../../../errors.ts';
import type { IvrParams } from '../../../../channels/voicexml/submission.ts';
import type { IvrApps } from '../../../../channels/voicexml/apps/ivr-apps.ts';
import { VerifiedTokens, verifyIvrToken } from '../../../../channels/voicexml/apps/ivr-token.ts';
import type { SessionRefCodec } from '../../../../channels/voicexml/apps/session-ref.ts';
import { acceptForms } from './form-body.ts';

export const VXML_CONTENT_TYPE = 'application/voicexml+xml; charset=utf-8';

export interface IvrHookRouteDeps {
  /** The loaded bot of an id, or undefined. */
  botOf: (botId: string) => Bot | undefined;
  service: IvrConversationPort;
  apps: IvrApps;
  sessions: SessionRefCodec;
  /** When set, every token must carry this audience (`aud`). */
  audience?: string;
}

const Params = Type.Object({ botId: Type.String({ minLength: 1, maxLength: 100 }) });
const GrammarParams = Type.Object({ botId: Type.String({ minLength: 1, maxLength: 100 }), file: Type.String({ pattern: '^[A-Za-z0-9_-]{22}\\.grxml$' }) });

/** Query values as one string each (a repeated name keeps its last value). */
function flatten(source: unknown): IvrParams {
  const out: IvrParams = {};
  if (!source || typeof source !== 'object') return out;
  for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
    const last: unknown = Array.isArray(v) ? v.at(-1) : v;
    if (typeof last === 'string') out[k] = last;
  }
  return out;
}

function refuse(reply: FastifyReply, bot: Bot | undefined, status: number, error: string, reason: string): FastifyReply {
  const vxml = renderVxmlFailure({ settings: bot?.settings.ivr ?? defaultSettings.ivr, submitUrl: '/', ...(bot ? { language: bot.language } : {}), error });
  const text = reason.replace(/[^\x20-\x7e]/g, '?').replace(/"/g, "'");
  if (status === 401) void reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${text}"`);
  return reply.code(status).header('x-parley-reason', text).type(VXML_CONTENT_TYPE).send(vxml);
}

function withIntentGrammar(path: string | undefined): { intentGrammar?: string } {
  return path === undefined ? {} : { intentGrammar: path };
}

export function ivrHookRoutes(deps: IvrHookRouteDeps): FastifyPluginCallback {
  const documents = new VxmlDocumentCache();
  const grammars = new IntentGrammars();
  const verified = new VerifiedTokens();
  // A bot's document warnings (a node without a grammar…) are the same on every call: logged once each.
  const warned = new Set<string>();
  const warnOnce = (botId: string, message: string, log: (m: string) => void) => {
    const key = `${botId}\0${message}`;
    if (warned.has(key) || warned.size >= 1000) return;
    warned.add(key);
    log(message);
  };
  return (app: FastifyInstance, _options, done) => {
    acceptForms(app);
    app.route<{ Params: Static<typeof Params> }>({
      method: ['GET', 'POST'],
      url: '/ivr/hooks/:botId',
      schema: {
        summary: 'IVR webhook: VoiceXML documents for a <subdialog> of an existing IVR (JWT in ?token=)',
        tags: ['ivr'],
        security: [],
        params: Params,
      },
      handler: async (req, reply) => {
        const { botId } = req.params;
        const query = flatten(req.query);
        const body = flatten(req.body);
        const bot = deps.botOf(botId);
        if (!bot) return refuse(reply, undefined, 404, 'error.parley.nobot', `no bot '${botId}' is loaded`);
        if (!bot.settings.ivr.enabled || !(await deps.apps.channelEnabled(botId))) {
          return refuse(reply, bot, 403, 'error.parley.channeldisabled', `the IVR channel of bot '${botId}' is disabled`);
        }
        const token = query.token ?? body.token;
        const { token: _q, ...params } = { ...query, ...body };
        // A fetch that goes on with a call (it carries a session reference, checked below) may come after the
        // token's exp: the token started the call, and the reference expires on its own. The same merged
        // parameter decides here and in handleIvrHook, so a request cannot be a continuation for the one and a
        // new call for the other.
        const continuing = Boolean(params[SESSION_PARAM]);
        const check = await verifyIvrToken(token, {
          botId,
          keyOf: (id) => deps.apps.key(id),
          verified,
          expiryWaived: continuing,
          ...(deps.audience ? { audience: deps.audience } : {}),
        });
        if (!check.ok) {
          req.log.warn({ botId, refusal: check.refusal }, 'IVR webhook refused a token');
          return refuse(reply, bot, check.status, `error.parley.token.${check.refusal.replace(/[^a-z]/g, '')}`, check.reason);
        }
        const session: IvrSessionCodec = { issue: (id) => deps.sessions.issue(botId, id), open: (ref) => deps.sessions.open(botId, ref) };
        let response: IvrHookResponse;
        try {
          response = await handleIvrHook(
            { bot, params, hookUrl: `/ivr/hooks/${encodeURIComponent(botId)}?token=${encodeURIComponent(token ?? '')}` },
            deps.service,
            {
              session,
              documents,
              ...withIntentGrammar(grammars.pathFor(bot)),
              onWarning: (message) => warnOnce(botId, message, (m) => req.log.warn({ botId }, m)),
            },
          );
        } catch (err) {
          // The IVR gets a document it can act on (route the caller elsewhere), with the status of the failure.
          req.log.error({ err, botId }, 'IVR webhook failed');
          const status = isParleyError(err) && err.status >= 500 ? err.status : 500;
          return refuse(reply, bot, status, status === 503 ? 'error.parley.unavailable' : 'error.parley.internal', 'Parley could not run the conversation; see the server log');
        }
        if (response.status !== 200) req.log.warn({ botId, kind: response.kind }, 'IVR webhook refused a session reference');
        return reply.code(response.status).type(VXML_CONTENT_TYPE).send(response.vxml);
      },
    });
    app.get<{ Params: Static<typeof GrammarParams> }>('/ivr/grammars/:botId/:file', {
      schema: {
        summary: "A bot's intent grammar (SRGS XML), which its documents' open questions refer to when the bot does not transcribe",
        tags: ['ivr'],
        security: [],
        params: GrammarParams,
      },
      handler: async (req, reply) => {
        const { botId, file } = req.params;
        const bot = deps.botOf(botId);
        const version = file.slice(0, -'.grxml'.length);
        const xml = bot && bot.settings.ivr.enabled && (await deps.apps.channelEnabled(botId)) ? grammars.get(bot, version) : undefined;
        if (xml === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(`no grammar ${file} for bot '${botId}'\n`);
        // The path names the grammar's content: it never changes, and may be cached for as long as the IVR likes.
        void reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', `"${version}"`);
        if (req.headers['if-none-match'] === `"${version}"`) return reply.code(304).send();
        return reply.type(`${INTENT_GRAMMAR_TYPE}; charset=utf-8`).send(xml);
      },
    });
    done();
  };
}
