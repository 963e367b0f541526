/**
 * A customer who leaves: a real server whose demo bot ends conversations after 1.2 s without a turn
 * (`settings.idleTimeoutMinutes: 0.02`), a WebSocket chat that goes quiet and a REST conversation left
 * half-way. Both end on their own; the live socket hears it, and the transcript and outcome are stored.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChatSocket } from '../../../test/support/chat-socket.ts';
import { api, startTestServer } from '../../../test/support/server.ts';

const botsDir = mkdtempSync(join(tmpdir(), 'parley-idle-bots-'));
let server: Awaited<ReturnType<typeof startTestServer>>;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  cpSync('examples/bank', join(botsDir, 'bank'), { recursive: true });
  const file = join(botsDir, 'bank', 'bot.yaml');
  const yaml = readFileSync(file, 'utf8');
  if (!yaml.includes('  idleTimeoutMinutes: 30\n')) throw new Error('the demo bot changed: update this test');
  writeFileSync(file, yaml.replace('  idleTimeoutMinutes: 30\n', '  idleTimeoutMinutes: 0.02\n'));
  server = await startTestServer({ botsDir });
  call = api(server);
}, 60_000);

afterAll(async () => {
  await server.dispose();
  rmSync(botsDir, { recursive: true, force: true });
});

describe('a conversation the customer left', () => {
  it('ends on its own after the idle timeout: the chat socket hears it, the transcript shows why', async () => {
    const { ws, waitFor } = openChatSocket(server.url, 'bank');
    const conv = await waitFor((f) => f.type === 'conversation');
    await waitFor((f) => f.type === 'message' && String(f.text).includes('Welcome'));
    const started = Date.now();
    const ended = await waitFor((f) => f.type === 'event' && f.name === 'ended');
    expect(ended.outcome).toBe('abandoned');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    ws.close();

    const view = (await call('GET', `/api/conversations/${String(conv.id)}`)).body;
    expect([view.status, view.outcome]).toEqual(['ended', 'abandoned']);
    expect(view.turns.at(-1)).toMatchObject({ speaker: 'system', text: '[idle]' });
  }, 30_000);

  it('ends a REST conversation the bot had finished a dialog in as resolved; a late message is refused', async () => {
    const created = (await call('POST', '/api/bots/bank/conversations', { channel: 'chat' })).body;
    const answer = await call('POST', `/api/conversations/${String(created.id)}/messages`, {
      text: 'what are your opening hours',
    });
    expect(answer.status).toBe(200);
    let view: Record<string, any> = {};
    for (let i = 0; i < 150 && view.status !== 'ended'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await call('GET', `/api/conversations/${String(created.id)}`)).body;
    }
    expect([view.status, view.outcome]).toEqual(['ended', 'resolved']);
    const late = await call('POST', `/api/conversations/${String(created.id)}/messages`, {
      text: 'are you still there?',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('PARLEY_ERR_CONVERSATION_ENDED');
    expect(late.body.error.message).toContain('resolved');
  }, 30_000);
});
