import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** The PostgreSQL server of the tests (`PARLEY_TEST_DATABASE_URL`, else the local one). */
export const testDatabaseUrl = process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `url` with its unqualified names resolved in `schema`. */
export function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * A throw-away schema for one test file, created before its tests and dropped after them, so parallel runs
 * and reruns never meet. Returns the storage URL that points into it.
 */
export function throwAwaySchema(prefix: string): string {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 5000 });
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  });
  afterAll(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });
  return inSchema(testDatabaseUrl, schema);
}
