import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';
import type { UserVariableStore } from './port.ts';
import { storableJson } from './storable-text.ts';
import type { StorageGuard } from './storage-guard.ts';

/** `user.` variables per (bot, user), replaced as a whole by `set`. */
export class KyselyUserVariableStore implements UserVariableStore {
  readonly #db: Kysely<Database>;
  readonly #guard: StorageGuard;

  constructor(db: Kysely<Database>, guard: StorageGuard) {
    this.#db = db;
    this.#guard = guard;
  }

  get(botId: string, userId: string): Promise<Record<string, unknown>> {
    return this.#guard.run('get user variables', async () => {
      const row = await this.#db
        .selectFrom('user_variables')
        .select('variables')
        .where('bot_id', '=', botId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? {} : (JSON.parse(row.variables) as Record<string, unknown>);
    });
  }

  set(botId: string, userId: string, variables: Record<string, unknown>): Promise<void> {
    return this.#guard.run('set user variables', async () => {
      await this.#db
        .insertInto('user_variables')
        .values({ bot_id: botId, user_id: userId, variables: storableJson(variables), updated_at: new Date().toISOString() })
        .onConflict((conflict) =>
          conflict.columns(['bot_id', 'user_id']).doUpdateSet((eb) => ({
            variables: eb.ref('excluded.variables'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    });
  }
}
