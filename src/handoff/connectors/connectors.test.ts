import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState } from '../../core/state.ts';
import { openStorage } from '../../storage/open-storage.ts';
import type { ConversationRecord, Storage } from '../../storage/port.ts';
import type { EscalationRecord } from '../escalation.ts';
import { createHandoffStores } from '../store/handoff-stores.ts';
import type { HandoffStores } from '../store/ports.ts';
import { CxoneConnector } from './cxone.ts';
import { startRecordingEndpoint } from './recording-endpoint.ts';
import { verifyWebhookSignature } from './signing.ts';
import { signalParams } from './signal-params.ts';
import { SipTransferConnector } from './sip-transfer.ts';
import { WebhookConnector } from './webhook.ts';

const logger = pino({ level: 'silent' });
const dataDir = mkdtempSync(join(tmpdir(), 'parley-connectors-'));
let storage: Storage;
let stores: HandoffStores;
beforeAll(async () => {
  storage = await openStorage({ dataDir });
  stores = createHandoffStores(storage);
});
afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function handoff(transferInfo: Record<string, Record<string, string>> = {}) {
  const conversation: ConversationRecord = {
    id: 'c-1',
    botId: 'bank',
    channel: 'voice',
    status: 'escalated',
    outcome: 'escalated',
    customer: '+15550100',
    startedAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    endedAt: null,
    historyKey: 'hk-123',
    state: initialState({ session: { sip: { headers: { 'X-ContactID': '98765' } } } }),
    turnCount: 0,
    version: 1,
  };
  const escalation = { id: 'e-1', conversationId: 'c-1', queue: 'cc', historyKey: 'hk-123', eventCount: 2, context: { entities: {}, variables: {}, transferInfo, reason: 'requested', sentiment: null } } as unknown as EscalationRecord;
  return { conversation, escalation, historyUrl: 'http://parley/history?k=hk-123' };
}

describe('the CXone-style signal connector', () => {
  it('signals p1 = the session-history key and p2… from the custom data, with a token from the access key; then p1=hangup', async () => {
    const cc = await startRecordingEndpoint((req) =>
      req.url.pathname === '/auth/token' ? (new URLSearchParams(req.body).get('password') === 'sekret' ? { status: 200, json: { access_token: 'tok-1', expires_in: 3600 } } : { status: 401 }) : { status: 202 },
    );
    try {
      const c = new CxoneConnector({ kind: 'cxone', id: 'cxone', signalUrl: `${cc.url}/contacts/{contactId}/signal`, tokenUrl: `${cc.url}/auth/token`, accessKeyId: 'AKID', accessKeySecret: 'sekret' }, { logger });
      expect(await c.test()).toMatchObject({ ok: true });
      const h = handoff({ cxone: { p2: 'gold', customer: '+15550100', reason: 'lost card' } });
      expect(await c.transfer(h)).toMatchObject({ contactId: '98765' });
      await c.hangup(h);
      const signals = cc.requests.filter((r) => r.url.pathname.startsWith('/contacts/'));
      expect(signals.map((r) => [r.method, r.url.pathname])).toEqual([
        ['POST', '/contacts/98765/signal'],
        ['POST', '/contacts/98765/signal'],
      ]);
      expect(Object.fromEntries(signals[0]!.url.searchParams)).toEqual({ p1: 'hk-123', p2: 'gold', p3: '+15550100', p4: 'lost card' });
      expect(Object.fromEntries(signals[1]!.url.searchParams)).toEqual({ p1: 'hangup' });
      expect(signals.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
      const token = cc.requests.find((r) => r.url.pathname === '/auth/token');
      expect(Object.fromEntries(new URLSearchParams(token!.body))).toMatchObject({ grant_type: 'password', username: 'AKID', password: 'sekret' });
    } finally {
      await cc.close();
    }
  });

  it('fails the connection test with wrong credentials, saying what to check', async () => {
    const cc = await startRecordingEndpoint(() => ({ status: 401 }));
    try {
      const c = new CxoneConnector({ kind: 'cxone', id: 'cxone', signalUrl: `${cc.url}/s/{contactId}`, tokenUrl: `${cc.url}/auth/token`, accessKeyId: 'x', accessKeySecret: 'wrong' }, { logger });
      const check = await c.test();
      expect(check.ok).toBe(false);
      expect(check.message).toContain('check the access key id and secret');
    } finally {
      await cc.close();
    }
  });

  it('places custom data in p2…p9, keeping named slots and dropping what does not fit', () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]));
    const { params, dropped } = signalParams('key', { p5: 'five', ...many });
    expect(params).toMatchObject({ p1: 'key', p2: '0', p3: '1', p4: '2', p5: 'five', p6: '3', p9: '6' });
    expect(dropped).toEqual(['k7', 'k8']);
  });
});

describe('the signed webhook connector', () => {
  it('signs each event, retries with back-off after failures, and delivers each event id once', async () => {
    const hook = await startRecordingEndpoint((_req, n) => ({ status: n <= 2 ? 503 : 200 }));
    try {
      const c = new WebhookConnector({ kind: 'webhook', id: 'hook', url: `${hook.url}/events`, secret: 'shh', maxAttempts: 5, initialBackoffMs: 20 }, { deliveries: stores.deliveries, logger });
      const event = { id: 'e-1:requested', type: 'escalation.requested' as const, at: '2025-03-01T10:00:00.000Z', data: { queue: 'general' } };
      const t0 = Date.now();
      await c.notify(event);
      await c.notify(event); // raised again: not delivered again
      await Promise.all(c.inFlight);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(20 + 40 - 5);
      expect(hook.requests).toHaveLength(3);
      for (const r of hook.requests) {
        expect(r.headers['x-parley-event-id']).toBe('e-1:requested');
        expect(JSON.parse(r.body)).toEqual(event);
        expect(verifyWebhookSignature('shh', r.headers['x-parley-timestamp'] as string, r.body, r.headers['x-parley-signature'] as string)).toBe(true);
        expect(verifyWebhookSignature('other', r.headers['x-parley-timestamp'] as string, r.body, r.headers['x-parley-signature'] as string)).toBe(false);
        expect(verifyWebhookSignature('shh', r.headers['x-parley-timestamp'] as string, `${r.body} `, r.headers['x-parley-signature'] as string)).toBe(false);
      }
      expect(await stores.deliveries.get('hook', 'e-1:requested')).toMatchObject({ status: 'delivered', attempts: 3 });
      // a new connector over the same store (a restart) does not deliver it again either
      const again = new WebhookConnector({ kind: 'webhook', id: 'hook', url: `${hook.url}/events`, secret: 'shh', maxAttempts: 5, initialBackoffMs: 20 }, { deliveries: stores.deliveries, logger });
      await again.notify(event);
      await again.resume();
      await Promise.all(again.inFlight);
      expect(hook.requests).toHaveLength(3);
    } finally {
      await hook.close();
    }
  });

  it('gives up after the last attempt, and at once on a refusal that retrying cannot fix', async () => {
    const hook = await startRecordingEndpoint((req) => ({ status: req.url.pathname === '/gone' ? 410 : 500 }));
    try {
      const flaky = new WebhookConnector({ kind: 'webhook', id: 'h2', url: `${hook.url}/down`, secret: 's', maxAttempts: 3, initialBackoffMs: 5 }, { deliveries: stores.deliveries, logger });
      await flaky.notify({ id: 'x-1', type: 'conversation.ended', at: '2025-03-01T10:00:00.000Z', data: {} });
      await Promise.all(flaky.inFlight);
      expect(await stores.deliveries.get('h2', 'x-1')).toMatchObject({ status: 'failed', attempts: 3 });
      const gone = new WebhookConnector({ kind: 'webhook', id: 'h3', url: `${hook.url}/gone`, secret: 's', maxAttempts: 3, initialBackoffMs: 5 }, { deliveries: stores.deliveries, logger });
      await gone.notify({ id: 'x-2', type: 'conversation.ended', at: '2025-03-01T10:00:00.000Z', data: {} });
      await Promise.all(gone.inFlight);
      expect(await stores.deliveries.get('h3', 'x-2')).toMatchObject({ status: 'failed', attempts: 1 });
      expect((await gone.test()).ok).toBe(false);
      expect(hook.requests.length).toBe(3 + 1 + 1);
    } finally {
      await hook.close();
    }
  });
});

describe('the SIP transfer data', () => {
  it('carries the session-history key in a header to the configured target', async () => {
    const c = new SipTransferConnector({ kind: 'sip', id: 'pbx', target: 'sip:agents@cc.example.com', headers: { 'X-Tenant': 'acme' } });
    expect(c.transferFor(handoff())).toEqual({ conversationId: 'c-1', target: 'sip:agents@cc.example.com', headers: { 'X-Tenant': 'acme', 'X-Session-History-Key': 'hk-123', 'X-Parley-Queue': 'cc' } });
    expect((await c.test()).ok).toBe(true);
    expect((await new SipTransferConnector({ kind: 'sip', id: 'bad', target: 'agents at cc', headers: {} }).test()).ok).toBe(false);
  });
});
