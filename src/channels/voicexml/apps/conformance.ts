import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../../errors.ts';
import type { Storage } from '../../../storage/port.ts';
import { createIvrAppStore } from './ivr-app-store.ts';
import { IvrApps } from './ivr-apps.ts';

/** The IVR apps on a real database; run from each database's test file. */
export function describeIvrAppsConformance(name: string, open: () => Promise<Storage>): void {
  describe(`${name} IVR apps`, () => {
    let storage: Storage;
    let apps: IvrApps;
    const key = Buffer.alloc(32, 9);

    beforeAll(async () => {
      storage = await open();
      // A clock a second ahead at each reading: creation order is time order.
      let clock = Date.parse('2025-03-01T10:00:00.000Z');
      apps = new IvrApps(createIvrAppStore(storage), key, { cacheMs: 0, now: () => new Date((clock += 1000)) });
    });
    afterAll(async () => storage?.close());

    it('creates an app whose secret is returned once and stored only sealed', async () => {
      const created = await apps.create('bank', { name: 'Main IVR' });
      expect(created.clientId).toMatch(/^ivr_[A-Za-z0-9_-]{16}$/);
      expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.app).toMatchObject({ botId: 'bank', name: 'Main IVR', enabled: true });
      const rows = await storage.kysely.withTables<{ ivr_apps: { client_id: string; secret: string } }>().selectFrom('ivr_apps').select(['client_id', 'secret']).execute();
      const row = rows.find((r) => r.client_id === created.clientId);
      expect(row?.secret).toBeDefined();
      expect(row?.secret).not.toContain(created.clientSecret);
      expect(await apps.secretOf('bank', created.clientId)).toBe(created.clientSecret);
      expect(await apps.key(created.clientId)).toEqual({ clientId: created.clientId, botId: 'bank', enabled: true, secret: created.clientSecret });
      expect(JSON.stringify(await apps.list('bank'))).not.toContain(created.clientSecret);
    });

    it("lists a bot's apps oldest first, and keeps them apart from other bots'", async () => {
      const a = await apps.create('shop');
      const b = await apps.create('shop');
      expect((await apps.list('shop')).map((x) => x.clientId)).toEqual([a.clientId, b.clientId]);
      const err = await apps.secretOf('bank', a.clientId).catch((e: unknown) => e);
      expect(isParleyError(err) && err.code).toBe('PARLEY_ERR_NOT_FOUND');
      expect(await apps.key('ivr_does_not_exist')).toBeUndefined();
    });

    it('disables, enables and deletes an app', async () => {
      const { clientId } = await apps.create('bank');
      expect((await apps.setEnabled('bank', clientId, false)).enabled).toBe(false);
      expect((await apps.key(clientId))?.enabled).toBe(false);
      expect((await apps.setEnabled('bank', clientId, true)).enabled).toBe(true);
      const other = await apps.setEnabled('shop', clientId, false).catch((e: unknown) => e);
      expect(isParleyError(other) && other.code).toBe('PARLEY_ERR_NOT_FOUND');
      await apps.remove('bank', clientId);
      expect(await apps.key(clientId)).toBeUndefined();
      expect((await apps.list('bank')).map((x) => x.clientId)).not.toContain(clientId);
    });

    it('switches the channel of a bot off and on; it is on until switched', async () => {
      expect(await apps.channelEnabled('fresh-bot')).toBe(true);
      await apps.setChannelEnabled('fresh-bot', false);
      expect(await apps.channelEnabled('fresh-bot')).toBe(false);
      await apps.setChannelEnabled('fresh-bot', true);
      expect(await apps.channelEnabled('fresh-bot')).toBe(true);
    });

    it('cannot open the secrets with another server key', async () => {
      const { clientId } = await apps.create('bank');
      const stranger = new IvrApps(createIvrAppStore(storage), Buffer.alloc(32, 1), { cacheMs: 0 });
      await expect(stranger.key(clientId)).rejects.toThrow(/PARLEY_SECRET_KEY/);
    });
  });
}
