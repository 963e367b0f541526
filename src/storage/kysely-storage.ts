import type { Kysely } from 'kysely';
import { KyselyConversationStore, type ConversationWrites } from './conversation-store.ts';
import type { Database } from './database-schema.ts';
import type { Storage } from './port.ts';
import { StorageGuard } from './storage-guard.ts';
import { KyselyUserVariableStore } from './user-variable-store.ts';

/** The Storage port over a migrated Kysely database of either dialect. */
export function createKyselyStorage(
  kind: Storage['kind'],
  db: Kysely<Database>,
  release: () => Promise<void> = () => db.destroy(),
  writes?: ConversationWrites,
): Storage {
  const guard = new StorageGuard();
  return {
    kind,
    conversations: new KyselyConversationStore(db, guard, writes),
    users: new KyselyUserVariableStore(db, guard),
    kysely: db,
    async close() {
      guard.close();
      await release();
    },
  };
}
