import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../../bot/load.ts';
import type { Bot } from '../../../core/bot.ts';
import type { ImportedBot } from './bot-shape.ts';
import { importVxmlApplication } from './import-vxml.ts';
import { writeBotFolder } from './write-bot-folder.ts';

const entry = fileURLToPath(new URL('./fixtures/acme-energy/main.vxml', import.meta.url));
let dir: string;
let imported: ImportedBot;
let bot: Bot;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-vxml-import-'));
  imported = await importVxmlApplication(entry);
  await writeBotFolder(imported, join(dir, 'bot'), { source: 'fixtures/acme-energy/main.vxml' });
  // The real bot loader is the judge of the format.
  bot = await loadBotFolder(join(dir, 'bot'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parley vxml import', () => {
  it('turns the main menu into intents, the greeting with numbered buttons, and the not-understood response', () => {
    expect(bot.id).toBe('acme-energy');
    expect(bot.language).toBe('en-US');
    expect(bot.intents.map((i) => i.name).sort()).toEqual(['agent', 'balance', 'moving', 'outage', 'pay']);
    expect(bot.intents.find((i) => i.name === 'balance')?.utterances).toEqual(['balance', 'my balance', 'how much do i owe', 'what is my bill']);
    expect(bot.responses.greeting.text).toBe('Welcome to Acme Energy. You can say balance, report an outage, make a payment, moving house, agent.');
    expect(bot.responses.greeting.voice).toContain('<break time="300ms"/>');
    expect(bot.responses.greeting.buttons?.map((b) => b.title)).toEqual(['balance', 'report an outage', 'make a payment', 'moving house', 'agent']);
    expect(bot.responses.notUnderstood.text).toBe('Sorry, I did not understand.');
    expect(bot.settings.ivr.properties).toEqual({ timeout: 5000, interdigittimeout: 3000, bargein: true });
    expect(bot.dialogs.balance?.intent).toBe('balance');
    expect(bot.dialogs.pay?.intent).toBe('pay');
  });

  it('maps fields to prompt nodes with typed entities, retry prompts, exhausted behaviour and properties', () => {
    expect(bot.entities.account).toMatchObject({ type: 'digits', minLength: 8, maxLength: 8 });
    expect(bot.entities.updates?.type).toBe('yesno');
    expect(bot.entities.amount?.type).toBe('money');
    expect(bot.entities.area?.values).toEqual([
      { value: 'north', synonyms: [] },
      { value: 'south', synonyms: ['the south side'] },
      { value: 'downtown', synonyms: ['city centre'] },
    ]);
    const account = bot.dialogs.balance?.nodes[0];
    expect(account).toMatchObject({
      type: 'prompt',
      entity: 'account',
      prompt: { text: 'Please key in your 8 digit account number.' },
      noInput: [{ text: 'I did not hear anything.' }],
      noMatch: [{ text: 'An account number has 8 digits.' }],
      retries: 2,
      onExhausted: { action: 'escalate' },
      voice: { interdigittimeout: 2500 },
    });
    expect(bot.dialogs.balance?.nodes[1]).toMatchObject({ type: 'service', request: { method: 'POST', url: 'https://legacy.acme.example/balance', body: { account: '{{entities.account}}' } } });
  });

  it('carries conditions, values in prompts, jumps, sub-menus, transfers and ends', () => {
    const outage = bot.dialogs.outage?.nodes ?? [];
    expect(outage[1]).toMatchObject({ type: 'prompt', prompt: { text: 'Shall we send you text updates about the outage in {{entities.area}}?' } });
    expect(outage[2]).toMatchObject({
      type: 'logic',
      next: [
        { if: "(entities.updates == true) and (entities.area != 'downtown')", goto: 'say' },
        { if: 'entities.updates == true', goto: 'say_2' },
        { goto: 'say_3' },
      ],
    });
    expect(outage.at(-1)).toMatchObject({ type: 'logic', next: [{ goto: 'menu' }] });
    const moving = bot.dialogs.moving?.nodes[0];
    expect(moving).toMatchObject({
      type: 'prompt',
      entity: 'moving_choice',
      next: [
        { if: "entities.moving_choice == 'moving in'", goto: 'dialog:agent' },
        { if: "entities.moving_choice == 'moving out'", goto: 'dialog:moveout' },
        { goto: 'menu' },
      ],
    });
    expect(bot.dialogs.agent?.nodes.map((n) => n.type)).toEqual(['message', 'transfer']);
    expect(bot.dialogs.agent?.nodes[1]).toMatchObject({ target: 'sip:support@acme.example' });
    expect(bot.dialogs.moveout?.nodes[1]).toMatchObject({ type: 'end', prompt: { text: 'Thank you. We will take a final meter reading on that day.' } });
  });

  it('lists what it could not map with file and line, also in IMPORT-NOTES.md', async () => {
    const where = imported.unmapped.map((u) => `${u.file}:${u.line ?? '?'} ${u.element}`);
    expect(where).toEqual([
      'main.vxml:7 <catch>',
      'main.vxml:19 <choice>',
      'main.vxml:20 <noinput>',
      'main.vxml:28 <prompt>',
      'main.vxml:34 <submit>',
      'main.vxml:76 <log>',
      'main.vxml:88 <record>',
      'payments.vxml:8 <subdialog>',
    ]);
    const notes = await readFile(join(dir, 'bot', 'IMPORT-NOTES.md'), 'utf8');
    expect(notes).toContain('payments.vxml:8: <subdialog>');
    expect(notes).toContain('key 0 of "agent" becomes 5');
  });

  it('refuses to write into a folder that has files', async () => {
    await writeFile(join(dir, 'occupied.txt'), 'x');
    await expect(writeBotFolder(imported, dir, { source: 'x' })).rejects.toThrow(/not empty/);
  });
});
