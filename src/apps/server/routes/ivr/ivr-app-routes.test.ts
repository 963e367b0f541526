/** The IVR API (apps, tokens, channel switch) through the real HTTP application, with the webhook as its user. */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../../../bot/load.ts';
import { createIvrAppStore } from '../../../../channels/voicexml/apps/ivr-app-store.ts';
import { IvrApps } from '../../../../channels/voicexml/apps/ivr-apps.ts';
import { createSessionRefs } from '../../../../channels/voicexml/apps/session-ref.ts';
import { BotRegistry } from '../../../../runtime/bot-registry.ts';
import { ConversationService } from '../../../../runtime/conversation-service.ts';
import { channelHandoff } from '../../../../runtime/handoff.ts';
import { createHttpServiceCaller } from '../../../../runtime/service-caller.ts';
import { openStorage } from '../../../../storage/open-storage.ts';
import type { Storage } from '../../../../storage/port.ts';
import { exactPhraseNlu } from '../../../../../test/support/exact-phrase-nlu.ts';
import { buildApp } from '../../app.ts';

const apiKey = 'ivr-api-test-key';
const auth = { authorization: `Bearer ${apiKey}` };
let app: FastifyInstance;
let storage: Storage;

beforeAll(async () => {
  const bots = new BotRegistry(exactPhraseNlu);
  await bots.add(await loadBotFolder(fileURLToPath(new URL('../../../../../examples/bank', import.meta.url))));
  storage = await openStorage({ url: 'sqlite::memory:' });
  const logger = pino({ level: 'silent' });
  const service = new ConversationService({ bots, storage, services: createHttpServiceCaller({ baseUrl: () => 'http://127.0.0.1:9' }), handoff: channelHandoff, logger });
  const key = Buffer.alloc(32, 6);
  const ivr = { apps: new IvrApps(createIvrAppStore(storage), key, { cacheMs: 0 }), sessions: createSessionRefs(key) };
  app = await buildApp({ bots, service, storage, apiKey, logger, demo: false, ivr });
}, 60_000);

afterAll(async () => {
  await app.close();
  await storage.close();
});

/** The fields these tests read from answers. */
interface Reply {
  clientId?: string;
  clientSecret?: string;
  token?: string;
  expiresAt?: string;
  enabled?: boolean;
  app?: unknown;
  apps?: Array<{ clientId: string }>;
  error?: { code: string };
}

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  const res = await app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, headers: res.headers, body: res.body ? res.json<Reply>() : ({} satisfies Reply) };
}

async function webhookStatus(token: string): Promise<number> {
  const res = await app.inject({ method: 'POST', url: `/ivr/hooks/bank?token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'from=tel%3A%2B15550100' });
  return res.statusCode;
}

describe('the IVR API', () => {
  it('requires the API key', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/bots/bank/ivr/apps' })).statusCode).toBe(401);
  });

  it('creates an app (secret shown once), lists it without the secret, and mints tokens the webhook accepts', async () => {
    const created = await call('POST', '/api/bots/bank/ivr/apps', { name: 'Genesys main line' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const clientId = created.body.clientId ?? '';
    const clientSecret = created.body.clientSecret ?? '';
    expect(created.body.app).toMatchObject({ clientId, botId: 'bank', name: 'Genesys main line', enabled: true });
    const listed = await call('GET', '/api/bots/bank/ivr/apps');
    expect(listed.body.apps?.map((a) => a.clientId)).toContain(clientId);
    expect(JSON.stringify(listed.body)).not.toContain(clientSecret);
    const channel = await call('GET', '/api/bots/bank/ivr');
    expect(channel.body).toMatchObject({ botId: 'bank', enabled: true, switchedOn: true, botFileEnabled: true, webhookPath: '/ivr/hooks/bank' });

    const minted = await call('POST', `/api/bots/bank/ivr/apps/${clientId}/tokens`, { ttlMs: 120_000 });
    expect(minted.status).toBe(200);
    expect(Date.parse(minted.body.expiresAt ?? '') - Date.now()).toBeGreaterThan(100_000);
    expect(await webhookStatus(minted.body.token ?? '')).toBe(200);
  });

  it('disables and deletes an app: its tokens are refused', async () => {
    const clientId = (await call('POST', '/api/bots/bank/ivr/apps')).body.clientId ?? '';
    const token = (await call('POST', `/api/bots/bank/ivr/apps/${clientId}/tokens`)).body.token ?? '';
    expect(await webhookStatus(token)).toBe(200);
    expect((await call('PATCH', `/api/bots/bank/ivr/apps/${clientId}`, { enabled: false })).body.enabled).toBe(false);
    expect(await webhookStatus(token)).toBe(403);
    expect((await call('PATCH', `/api/bots/bank/ivr/apps/${clientId}`, { enabled: true })).body.enabled).toBe(true);
    expect(await webhookStatus(token)).toBe(200);
    expect((await call('DELETE', `/api/bots/bank/ivr/apps/${clientId}`)).status).toBe(204);
    expect(await webhookStatus(token)).toBe(401);
    expect((await call('DELETE', `/api/bots/bank/ivr/apps/${clientId}`)).status).toBe(404);
  });

  it('switches the channel off and on', async () => {
    const clientId = (await call('POST', '/api/bots/bank/ivr/apps')).body.clientId ?? '';
    const token = (await call('POST', `/api/bots/bank/ivr/apps/${clientId}/tokens`)).body.token ?? '';
    expect((await call('PUT', '/api/bots/bank/ivr', { enabled: false })).body).toMatchObject({ enabled: false, switchedOn: false });
    expect(await webhookStatus(token)).toBe(403);
    await call('PUT', '/api/bots/bank/ivr', { enabled: true });
    expect(await webhookStatus(token)).toBe(200);
  });

  it('answers 404 for an unknown bot and 400 for a bad body', async () => {
    const missing = await call('POST', '/api/bots/nobody/ivr/apps');
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'PARLEY_ERR_BOT_NOT_FOUND']);
    expect((await call('PUT', '/api/bots/bank/ivr', { enabled: 'yes' })).status).toBe(400);
  });

  it('documents the webhook and the IVR API in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/ivr/hooks/{botId}', '/api/bots/{botId}/ivr', '/api/bots/{botId}/ivr/apps', '/api/bots/{botId}/ivr/apps/{clientId}']));
  });
});
