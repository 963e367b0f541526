import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../errors.ts';
import { describeStorageConformance } from './conformance.ts';
import { openStorage } from './open-storage.ts';

/**
 * Runs against a real PostgreSQL server (PARLEY_TEST_DATABASE_URL, default the local test database), inside
 * a schema of its own that is dropped afterwards, so runs never see each other's data.
 */
const baseUrl = process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `parley_test_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
let connected = false;

beforeAll(async () => {
  try {
    await admin.connect();
    connected = true;
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${withoutPassword(baseUrl)} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start it (for example `sudo service postgresql start`, or `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust ' +
        '-e POSTGRES_DB=test postgres:15`), or set PARLEY_TEST_DATABASE_URL to a database where the user may create schemas.',
      { cause: error },
    );
  }
  await admin.query(`create schema ${schema}`);
});

afterAll(async () => {
  if (!connected) return;
  try {
    await admin.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await admin.end();
  }
});

describeStorageConformance('PostgreSQL', (options = {}) => openStorage({ url: inSchema(baseUrl, schema), poolSize: 4, ...options }));

describe('opening PostgreSQL storage', () => {
  it('says how to fix it when no server listens at the URL', async () => {
    const url = new URL(baseUrl);
    url.port = '1';
    const error = await openStorage({ url: url.toString() }).catch((reason: unknown) => reason);
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_STORAGE');
    expect((error as Error).message).toMatch(/cannot reach PostgreSQL at .*:1\/.*Start the server/);
  });

  it('says how to fix it when the database does not exist', async () => {
    const url = new URL(baseUrl);
    url.pathname = `/${schema}_missing`;
    const error = await openStorage({ url: url.toString() }).catch((reason: unknown) => reason);
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_STORAGE');
    expect((error as Error).message).toMatch(/does not exist.*createdb/);
  });

  it('refuses a search_path that names no existing schema', async () => {
    const error = await openStorage({ url: inSchema(baseUrl, `${schema}_missing`) }).catch((reason: unknown) => reason);
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_CONFIG');
    expect((error as Error).message).toMatch(/create the schema/);
  });

  it('keeps its tables in the schema of the search_path', async () => {
    const { rows } = await admin.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by table_name',
      [schema],
    );
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['conversations', 'parley_migration', 'parley_migration_lock', 'turns', 'user_variables']),
    );
  });
});

function inSchema(url: string, name: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${name}`);
  return withSchema.toString();
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = parsed.password === '' ? '' : '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
