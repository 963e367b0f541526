/**
 * The REST API of the IVR channel, behind the API key: a bot's IVR apps (client id and secret, the secret
 * shown once), their tokens for testing, and the per-bot channel switch.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { IvrApps } from '../../../../channels/voicexml/apps/ivr-apps.ts';
import { mintIvrToken } from '../../../../channels/voicexml/apps/ivr-token.ts';
import { ParleyError } from '../../../../errors.ts';

export interface IvrAppRouteDeps {
  apps: IvrApps;
  /** Whether a bot is loaded, and whether its bot file leaves the IVR channel on (`settings.ivr.enabled`). */
  botIvr: (botId: string) => { enabled: boolean } | undefined;
}

const BotParams = Type.Object({ botId: Type.String({ minLength: 1, maxLength: 100 }) });
const AppParams = Type.Object({ botId: Type.String({ minLength: 1, maxLength: 100 }), clientId: Type.String({ minLength: 1, maxLength: 100 }) });
const App = Type.Object({
  clientId: Type.String(),
  botId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Channel = Type.Object({
  botId: Type.String(),
  enabled: Type.Boolean({ description: 'the webhook answers: switched on here and in the bot file' }),
  switchedOn: Type.Boolean({ description: 'the switch of this API (default on)' }),
  botFileEnabled: Type.Boolean({ description: 'settings.ivr.enabled of the bot file' }),
  webhookPath: Type.String({ description: 'append ?token=<JWT> and prefix with this server’s address' }),
  apps: Type.Array(App),
});
const CreateBody = Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
const TokenBody = Type.Object(
  {
    ttlMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 366 * 24 * 3600_000, description: 'lifetime (default one hour)' })),
    audience: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const DEFAULT_TOKEN_TTL_MS = 3600_000;

/** A POST without a body (`curl -X POST …/apps`) is an empty object. */
function emptyBodyAsObject(req: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  req.body ??= {};
  done();
}

export function ivrAppRoutes(api: FastifyInstance, deps: IvrAppRouteDeps): void {
  const botFile = (botId: string) => {
    const ivr = deps.botIvr(botId);
    if (!ivr) throw new ParleyError('PARLEY_ERR_BOT_NOT_FOUND', `no bot '${botId}' is loaded`);
    return ivr;
  };
  const channel = async (botId: string) => {
    const file = botFile(botId);
    const switchedOn = await deps.apps.channelEnabled(botId);
    return {
      botId,
      enabled: switchedOn && file.enabled,
      switchedOn,
      botFileEnabled: file.enabled,
      webhookPath: `/ivr/hooks/${encodeURIComponent(botId)}`,
      apps: await deps.apps.list(botId),
    };
  };

  api.get<{ Params: Static<typeof BotParams> }>(
    '/api/bots/:botId/ivr',
    { schema: { summary: "The bot's IVR channel: on or off, webhook path, apps", tags: ['ivr'], params: BotParams, response: { 200: Channel } } },
    async (req) => channel(req.params.botId),
  );

  api.put<{ Params: Static<typeof BotParams>; Body: Static<typeof EnabledBody> }>(
    '/api/bots/:botId/ivr',
    { schema: { summary: "Switch the bot's IVR channel on or off", tags: ['ivr'], params: BotParams, body: EnabledBody, response: { 200: Channel } } },
    async (req) => {
      botFile(req.params.botId);
      await deps.apps.setChannelEnabled(req.params.botId, req.body.enabled);
      return channel(req.params.botId);
    },
  );

  api.post<{ Params: Static<typeof BotParams>; Body: Static<typeof CreateBody> }>(
    '/api/bots/:botId/ivr/apps',
    {
      schema: {
        summary: 'Create an IVR app: its client secret is in this answer only',
        tags: ['ivr'],
        params: BotParams,
        body: CreateBody,
        response: { 201: Type.Object({ clientId: Type.String(), clientSecret: Type.String(), app: App }) },
      },
      preValidation: emptyBodyAsObject,
    },
    async (req, reply) => {
      botFile(req.params.botId);
      const created = await deps.apps.create(req.params.botId, req.body.name ? { name: req.body.name } : {});
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  api.get<{ Params: Static<typeof BotParams> }>(
    '/api/bots/:botId/ivr/apps',
    { schema: { summary: "The bot's IVR apps (without secrets)", tags: ['ivr'], params: BotParams, response: { 200: Type.Object({ apps: Type.Array(App) }) } } },
    async (req) => {
      botFile(req.params.botId);
      return { apps: await deps.apps.list(req.params.botId) };
    },
  );

  api.patch<{ Params: Static<typeof AppParams>; Body: Static<typeof EnabledBody> }>(
    '/api/bots/:botId/ivr/apps/:clientId',
    { schema: { summary: 'Enable or disable an IVR app (its tokens are refused while disabled)', tags: ['ivr'], params: AppParams, body: EnabledBody, response: { 200: App } } },
    async (req) => deps.apps.setEnabled(req.params.botId, req.params.clientId, req.body.enabled),
  );

  api.delete<{ Params: Static<typeof AppParams> }>(
    '/api/bots/:botId/ivr/apps/:clientId',
    { schema: { summary: 'Delete an IVR app', tags: ['ivr'], params: AppParams } },
    async (req, reply) => {
      await deps.apps.remove(req.params.botId, req.params.clientId);
      return reply.code(204).send();
    },
  );

  api.post<{ Params: Static<typeof AppParams>; Body: Static<typeof TokenBody> }>(
    '/api/bots/:botId/ivr/apps/:clientId/tokens',
    {
      schema: {
        summary: 'Mint a JWT for the webhook (HS256 with the app secret, claim appId), for testing',
        tags: ['ivr'],
        params: AppParams,
        body: TokenBody,
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String() }) },
      },
      preValidation: emptyBodyAsObject,
    },
    async (req, reply) => {
      const ttlMs = req.body.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
      const secret = await deps.apps.secretOf(req.params.botId, req.params.clientId);
      const now = new Date();
      const token = await mintIvrToken({ clientId: req.params.clientId, secret, ttlMs, now, ...(req.body.audience ? { audience: req.body.audience } : {}) });
      return reply.header('cache-control', 'no-store').send({ token, expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + Math.round(ttlMs / 1000) * 1000).toISOString() });
    },
  );
}
