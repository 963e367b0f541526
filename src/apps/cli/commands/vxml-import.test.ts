import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../../bot/load.ts';
import { vxmlImportCommand } from './vxml-import.ts';

const entry = fileURLToPath(new URL('../../../channels/voicexml/import/fixtures/acme-energy/main.vxml', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-vxml-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parley vxml import', () => {
  it('writes a bot folder the loader accepts and prints what was not carried over', async () => {
    let out = '';
    const target = join(dir, 'energy');
    await vxmlImportCommand({ out: (t) => (out += t) }).parseAsync(['import', entry, '--out', target, '--id', 'energy'], { from: 'user' });
    expect(out).toContain("bot 'energy' with 5 intents");
    expect(out).toContain('payments.vxml:8: <subdialog>');
    expect((await readdir(join(target, 'dialogs'))).sort()).toEqual(['agent.yaml', 'balance.yaml', 'moveout.yaml', 'moving.yaml', 'outage.yaml', 'pay.yaml', 'voicemail.yaml']);
    expect((await loadBotFolder(target)).id).toBe('energy');
  });
});
