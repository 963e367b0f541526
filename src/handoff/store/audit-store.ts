import type { Kysely } from 'kysely';
import type { Database } from '../../storage/database-schema.ts';
import { storableJson } from '../../storage/storable-text.ts';
import { storedTimestamp } from '../../storage/row-codec.ts';
import type { StorageGuard } from '../../storage/storage-guard.ts';
import type { AuditEntry } from '../people.ts';
import type { AuditStore } from './ports.ts';
import type { HandoffTables } from './tables.ts';

export class KyselyAuditStore implements AuditStore {
  constructor(
    private readonly db: Kysely<Database & HandoffTables>,
    private readonly guard: StorageGuard,
  ) {}

  append(e: AuditEntry): Promise<void> {
    return this.guard.run('append to the audit log', async () => {
      await this.db
        .insertInto('audit_log')
        .values({
          id: e.id,
          at: storedTimestamp(e.at, 'at'),
          actor: e.actor,
          role: e.role,
          action: e.action,
          conversation_id: e.conversationId,
          detail: e.detail === null ? null : storableJson(e.detail),
        })
        .execute();
    });
  }

  list(filter: { conversationId?: string; limit?: number }): Promise<AuditEntry[]> {
    return this.guard.run('read the audit log', async () => {
      let q = this.db.selectFrom('audit_log').selectAll();
      if (filter.conversationId !== undefined) q = q.where('conversation_id', '=', filter.conversationId);
      const rows = await q
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(filter.limit ?? 200, 1), 5000))
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        role: r.role as AuditEntry['role'],
        action: r.action,
        conversationId: r.conversation_id,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
      }));
    });
  }
}
