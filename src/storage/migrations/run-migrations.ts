import { Migrator, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';
import type { ParleyMigration } from './migration.ts';

export const migrationTableName = 'parley_migration';

/**
 * Applies the pending migrations and returns their names (empty when the schema was up to date). Each run is
 * one transaction on both dialects, under the migrator's lock, so concurrent starts apply a migration once.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  list: readonly ParleyMigration[],
  types: ColumnTypes,
  options: { schema?: string } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(toKyselyMigrations(list, types)) },
    migrationTableName,
    migrationLockTableName: `${migrationTableName}_lock`,
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(before any migration ran)'} failed`, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

function toKyselyMigrations(list: readonly ParleyMigration[], types: ColumnTypes): Record<string, Migration> {
  const byName: Record<string, Migration> = {};
  let previous = '';
  for (const migration of list) {
    if (!/^\d{4}-[a-z0-9-]+$/.test(migration.name) || migration.name <= previous) {
      throw new Error(`migration "${migration.name}" must be named NNNN-kebab-name and listed after "${previous}"`);
    }
    previous = migration.name;
    byName[migration.name] = { up: (db) => migration.up(db, types) };
  }
  return byName;
}
