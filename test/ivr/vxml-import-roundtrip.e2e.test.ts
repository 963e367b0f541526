/**
 * `parley vxml import` round trip: an existing VoiceXML menu application is imported into a bot folder that
 * `parley validate` accepts; the bot, served by a real Parley through the IVR webhook, behaves for the caller
 * as the original does under the same IVR simulator: the same prompts, and the same end (a hang-up, or the
 * transfer to the same destination, handed back to the calling IVR).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/apps/server/start.ts';
import { runIvrCall, type IvrCallResult } from '../../src/channels/voicexml/simulator/run-ivr-call.ts';
import { parleyCli } from '../support/parley-cli.ts';
import { api, startTestServer } from '../support/server.ts';
import { startVxmlServer, type VxmlServer } from '../support/vxml-server.ts';
import { expectValidVxml } from '../support/vxml-validate.ts';

const fixture = fileURLToPath(new URL('./fixtures/books.vxml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parley-vxml-roundtrip-'));
let original: VxmlServer;
let parley: RunningServer & { dispose(): Promise<void> };
let token = '';
const received: string[] = [];

beforeAll(async () => {
  original = await startVxmlServer({ '/books.vxml': () => readFileSync(fixture, 'utf8') });
  const imported = await parleyCli(['vxml', 'import', fixture, '--out', join(dir, 'bots', 'books')]);
  expect(imported.code, imported.stderr).toBe(0);
  const validated = await parleyCli(['validate', join(dir, 'bots', 'books')]);
  expect(validated.code, validated.stderr).toBe(0);
  expect(validated.stdout).toContain("bot 'books' is valid");

  parley = await startTestServer({ botsDir: join(dir, 'bots') });
  const call = api(parley);
  const app = await call('POST', '/api/bots/books/ivr/apps', { name: 'round trip' });
  expect(app.status).toBe(201);
  token = String((await call('POST', `/api/bots/books/ivr/apps/${String(app.body.clientId)}/tokens`)).body.token);
}, 120_000);

afterAll(async () => {
  await parley?.dispose();
  await original?.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await expectValidVxml(...received.splice(0));
});

async function both(script: string[]): Promise<{ before: IvrCallResult; after: IvrCallResult }> {
  const before = await runIvrCall({ url: `${original.url}/books.vxml`, script });
  const after = await runIvrCall({ url: `${parley.url}/ivr/hooks/books?token=${token}`, params: { message: '', from: 'tel:+15550100', to: 'books' }, script });
  for (const d of after.documents) if (d.kind === 'document' && d.status === 200) received.push(d.body);
  return { before, after };
}

describe('an imported VoiceXML menu application', () => {
  it('takes the same keypad path to the same answer and ends the call', async () => {
    const { before, after } = await both(['dtmf:2', 'dtmf:123456']);
    expect(before.ending).toEqual({ kind: 'hangup' });
    expect(after.prompts).toEqual(before.prompts);
    expect(after.returned).toMatchObject({ endOfConversation: true, outcome: 'resolved', transfer: false, intent: 'order' });
    expect(JSON.parse(String(after.returned?.entities))).toEqual({ orderNumber: '123456' });
  });

  it('understands the same spoken menu choice', async () => {
    const { before, after } = await both(['opening hours']);
    expect(before.prompts.at(-1)).toBe('We are open every day from nine to five.');
    expect(after.prompts).toEqual(before.prompts);
    expect(after.returned).toMatchObject({ endOfConversation: true, outcome: 'resolved', intent: 'hours' });
  });

  it('hands the caller to the same transfer destination', async () => {
    const { before, after } = await both(['dtmf:3']);
    expect(before.ending).toEqual({ kind: 'transfer', destination: 'sip:books@acd.example' });
    expect(after.prompts).toEqual(before.prompts);
    expect(after.returned).toMatchObject({ endOfConversation: false, transfer: true, transferTarget: 'sip:books@acd.example' });
  });

  it('sounds the same under `parley ivr call`, every document valid', async () => {
    const script = join(dir, 'order.txt');
    writeFileSync(script, 'dtmf:2\ndtmf:123456\n');
    const heard = (out: string) => out.split('\n').filter((l) => l.startsWith('IVR:')).map((l) => l.slice(4).trim());
    const before = await runIvrCall({ url: `${original.url}/books.vxml`, script: ['dtmf:2', 'dtmf:123456'] });
    const after = await parleyCli(['ivr', 'call', `${parley.url}/ivr/hooks/books?token=${token}`, '--script', script, '--param', 'from=tel:+15550100', '--validate']);
    expect(after.code, after.stderr).toBe(0);
    expect(heard(after.stdout)).toEqual(before.prompts);
    expect(heard(after.stdout).at(-1)).toBe('Thank you. Order 123456 is on its way.');
    expect(after.stdout).toMatch(/validation: (\d+) of \1 documents valid/);
    expect(after.stdout).toContain('"endOfConversation": true');
  });

  it('re-asks on a wrong number of digits, then goes on', async () => {
    const { before, after } = await both(['order status', 'dtmf:12', 'dtmf:654321']);
    expect(before.prompts.at(-1)).toBe('Thank you. Order 654321 is on its way.');
    expect(after.prompts.at(-1)).toBe(before.prompts.at(-1));
    expect(after.prompts.filter((p) => p.includes('six digits'))).toEqual(before.prompts.filter((p) => p.includes('six digits')));
  });
});
