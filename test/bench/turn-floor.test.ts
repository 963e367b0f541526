import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { printed, typescriptLoader } from '../../bench/support/child.ts';
import { httpCall } from '../../bench/support/http-client.ts';

/** The chat and IVR benchmarks' floor: the bare routes, which also understand and persist each turn, and nothing else. */
describe('bench turn floor', () => {
  it('understands each chat message and IVR answer, stores the customer and bot turns, and removes its data when stopped', async () => {
    const script = fileURLToPath(new URL('../../bench/support/turn-floor.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', typescriptLoader, script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const [url, dir] = await printed(child, [/^URL (\S+)$/m, /^DATA (\S+)$/m], 'turn floor');
      const answers = [];
      for (const text of ['what are your opening hours', 'my card was stolen']) {
        const r = await httpCall(`${url}/echo/7`, 'POST', { text });
        expect(r.status).toBe(200);
        answers.push(JSON.parse(r.body) as { intent: string | null });
      }
      expect(answers.map((a) => a.intent)).toEqual(['opening_hours', 'report_lost_card']);
      const form = new URLSearchParams({
        userinput: 'what is my balance',
        userinput_confidence: '0.9',
      }).toString();
      const ivr = await httpCall(`${url}/ivr/hooks/bank?token=t&session=s1`, 'POST', form);
      expect(ivr.status).toBe(200);
      expect(ivr.body).toContain('<vxml');

      const db = new Database(join(dir ?? '', 'parley.db'), { readonly: true });
      try {
        const turns = db
          .prepare('select seq, speaker, text, intent from turns where conversation_id = ? order by seq')
          .all('7');
        expect(turns).toMatchObject([
          { seq: 1, speaker: 'customer', text: 'what are your opening hours', intent: 'opening_hours' },
          { seq: 2, speaker: 'bot', intent: null },
          { seq: 3, speaker: 'customer', text: 'my card was stolen', intent: 'report_lost_card' },
          { seq: 4, speaker: 'bot', intent: null },
        ]);
        expect(db.prepare('select version, turn_count from conversations where id = ?').get('7')).toEqual({
          version: 3,
          turn_count: 4,
        });
      } finally {
        db.close();
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(dir ?? '')).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
