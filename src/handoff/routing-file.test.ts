import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../bot/load.ts';
import { isParleyError } from '../errors.ts';
import { loadRouting, parseRoutingFile, saveRoutingFile } from './routing-file.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-routing-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bank = () => loadBotFolder(fileURLToPath(new URL('../../examples/bank', import.meta.url)));

describe('the routing file', () => {
  it('reads the demo routing model beside the bots', async () => {
    const { model, file } = loadRouting(join(root, 'no-data'), fileURLToPath(new URL('../../examples', import.meta.url)), [await bank()]);
    expect(file).toMatch(/examples\/routing\.yaml$/);
    expect(model.queues.map((q) => q.id)).toEqual(['general', 'cards', 'payments', 'phone']);
    expect(model.agents.map((a) => a.id)).toEqual(['alice', 'bob']);
  });

  it('prefers the data folder’s file, and round-trips what the API writes', async () => {
    const data = join(root, 'data');
    const bots = join(root, 'bots');
    mkdirSync(bots, { recursive: true });
    writeFileSync(join(bots, 'routing.yaml'), 'queues: [{ id: from-bots }]\n');
    const first = loadRouting(data, bots, [await bank()]);
    expect(first.model.queues.map((q) => q.id)).toEqual(['from-bots']);
    saveRoutingFile(join(data, 'routing.yaml'), { ...first.model, queues: [...first.model.queues, { ...first.model.queues[0]!, id: 'added' }] });
    expect(loadRouting(data, bots, []).model.queues.map((q) => q.id)).toEqual(['from-bots', 'added']);
  });

  it('derives a model from the bots when there is no file: their queues for chat, the channel’s transfer for voice', async () => {
    const { model, file } = loadRouting(join(root, 'none'), join(root, 'none'), [await bank()]);
    expect(file).toBeUndefined();
    expect(model.queues.map((q) => q.id)).toEqual(['general', 'payments', 'voice-transfer']);
    expect(model.queues.find((q) => q.id === 'voice-transfer')?.connector).toBe('channel');
  });

  it('lists every problem with its line', () => {
    const text = 'queues:\n  - id: a\n    overflow: { queue: b }\nagents:\n  - { id: x, queues: [a, zzz] }\n';
    const err = (() => {
      try {
        parseRoutingFile('routing.yaml', text);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(isParleyError(err) && err.code).toBe('PARLEY_ERR_CONFIG');
    expect((err as Error).message).toContain("routing.yaml:3: queues[0].overflow.queue: unknown queue 'b'");
    expect((err as Error).message).toContain("routing.yaml:5: agents[0].queues[1]: unknown queue 'zzz'");
  });
});
