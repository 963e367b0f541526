import type { Kysely } from 'kysely';
import type { Database } from '../../storage/database-schema.ts';
import { storableJson } from '../../storage/storable-text.ts';
import { storedTimestamp } from '../../storage/row-codec.ts';
import type { StorageGuard } from '../../storage/storage-guard.ts';
import type { Delivery, DeliveryStatus, DeliveryStore } from './ports.ts';
import type { HandoffTables, WebhookDeliveriesTable } from './tables.ts';

function fromRow(r: WebhookDeliveriesTable): Delivery {
  return {
    connector: r.connector,
    eventId: r.event_id,
    type: r.type,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class KyselyDeliveryStore implements DeliveryStore {
  constructor(
    private readonly db: Kysely<Database & HandoffTables>,
    private readonly guard: StorageGuard,
  ) {}

  claim(d: Delivery): Promise<boolean> {
    return this.guard.run('record webhook event', async () => {
      const r = await this.db
        .insertInto('webhook_deliveries')
        .values({
          connector: d.connector,
          event_id: d.eventId,
          type: d.type,
          payload: storableJson(d.payload),
          status: d.status,
          attempts: d.attempts,
          created_at: storedTimestamp(d.createdAt, 'createdAt'),
          updated_at: storedTimestamp(d.updatedAt, 'updatedAt'),
        })
        .onConflict((oc) => oc.columns(['connector', 'event_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    });
  }

  mark(connector: string, eventId: string, status: DeliveryStatus, attempts: number, at: string): Promise<void> {
    return this.guard.run('update webhook delivery', async () => {
      await this.db
        .updateTable('webhook_deliveries')
        .set({ status, attempts, updated_at: storedTimestamp(at, 'at') })
        .where('connector', '=', connector)
        .where('event_id', '=', eventId)
        .execute();
    });
  }

  get(connector: string, eventId: string): Promise<Delivery | undefined> {
    return this.guard.run('read webhook delivery', async () => {
      const r = await this.db.selectFrom('webhook_deliveries').selectAll().where('connector', '=', connector).where('event_id', '=', eventId).executeTakeFirst();
      return r && fromRow(r);
    });
  }

  pending(connector: string): Promise<Delivery[]> {
    return this.guard.run('list pending webhook deliveries', async () => {
      const rows = await this.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('connector', '=', connector)
        .where('status', '=', 'pending')
        .orderBy('created_at')
        .execute();
      return rows.map(fromRow);
    });
  }
}
