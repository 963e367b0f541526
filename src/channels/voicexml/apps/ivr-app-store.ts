/**
 * Where the IVR apps and the per-bot channel switch are kept (migration `0003-ivr-apps`), over the storage's
 * database (SQLite or PostgreSQL). Secrets arrive here already sealed (see `secret-key.ts`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../storage/database-schema.ts';
import type { Storage } from '../../../storage/port.ts';
import { storedTimestamp } from '../../../storage/row-codec.ts';
import { storableText } from '../../../storage/storable-text.ts';
import { StorageGuard } from '../../../storage/storage-guard.ts';

export interface IvrAppRecord {
  clientId: string;
  botId: string;
  name: string | null;
  /** The client secret, sealed with the server's key. */
  sealedSecret: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface IvrAppStore {
  create(app: IvrAppRecord): Promise<void>;
  get(clientId: string): Promise<IvrAppRecord | undefined>;
  /** A bot's apps, oldest first. */
  list(botId: string): Promise<IvrAppRecord[]>;
  /** Returns false when no such app exists. */
  setEnabled(clientId: string, enabled: boolean, at: string): Promise<boolean>;
  /** Returns false when no such app exists. */
  remove(clientId: string): Promise<boolean>;
  /** The channel switch set for a bot, or undefined when never set. */
  channelEnabled(botId: string): Promise<boolean | undefined>;
  setChannelEnabled(botId: string, enabled: boolean, at: string): Promise<void>;
}

type IvrAppsTable = {
  client_id: string;
  bot_id: string;
  name: string | null;
  secret: string;
  enabled: number;
  created_at: string;
  updated_at: string;
};

type IvrChannelsTable = {
  bot_id: string;
  enabled: number;
  updated_at: string;
};

type IvrTables = {
  ivr_apps: IvrAppsTable;
  ivr_channels: IvrChannelsTable;
};

type Db = Kysely<Database & IvrTables>;

function fromRow(r: IvrAppsTable): IvrAppRecord {
  return {
    clientId: r.client_id,
    botId: r.bot_id,
    name: r.name,
    sealedSecret: r.secret,
    enabled: Number(r.enabled) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

class KyselyIvrAppStore implements IvrAppStore {
  constructor(
    private readonly db: Db,
    private readonly guard: StorageGuard,
  ) {}

  create(app: IvrAppRecord): Promise<void> {
    return this.guard.run('create IVR app', async () => {
      await this.db
        .insertInto('ivr_apps')
        .values({
          client_id: app.clientId,
          bot_id: app.botId,
          name: app.name === null ? null : storableText(app.name),
          secret: app.sealedSecret,
          enabled: app.enabled ? 1 : 0,
          created_at: storedTimestamp(app.createdAt, 'createdAt'),
          updated_at: storedTimestamp(app.updatedAt, 'updatedAt'),
        })
        .execute();
    });
  }

  get(clientId: string): Promise<IvrAppRecord | undefined> {
    return this.guard.run('get IVR app', async () => {
      const row = await this.db.selectFrom('ivr_apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    });
  }

  list(botId: string): Promise<IvrAppRecord[]> {
    return this.guard.run('list IVR apps', async () => {
      const rows = await this.db.selectFrom('ivr_apps').selectAll().where('bot_id', '=', botId).orderBy('created_at').orderBy('client_id').execute();
      return rows.map(fromRow);
    });
  }

  setEnabled(clientId: string, enabled: boolean, at: string): Promise<boolean> {
    return this.guard.run('update IVR app', async () => {
      const result = await this.db
        .updateTable('ivr_apps')
        .set({ enabled: enabled ? 1 : 0, updated_at: storedTimestamp(at, 'updatedAt') })
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  remove(clientId: string): Promise<boolean> {
    return this.guard.run('delete IVR app', async () => {
      const result = await this.db.deleteFrom('ivr_apps').where('client_id', '=', clientId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  channelEnabled(botId: string): Promise<boolean | undefined> {
    return this.guard.run('get IVR channel', async () => {
      const row = await this.db.selectFrom('ivr_channels').select('enabled').where('bot_id', '=', botId).executeTakeFirst();
      return row ? Number(row.enabled) === 1 : undefined;
    });
  }

  setChannelEnabled(botId: string, enabled: boolean, at: string): Promise<void> {
    return this.guard.run('set IVR channel', async () => {
      const values = { enabled: enabled ? 1 : 0, updated_at: storedTimestamp(at, 'updatedAt') };
      await this.db
        .insertInto('ivr_channels')
        .values({ bot_id: botId, ...values })
        .onConflict((oc) => oc.column('bot_id').doUpdateSet(values))
        .execute();
    });
  }
}

/** The IVR app store over the storage's (migrated) database; closed with the storage. */
export function createIvrAppStore(storage: Storage): IvrAppStore {
  return new KyselyIvrAppStore(storage.kysely.withTables<IvrTables>(), new StorageGuard());
}
