import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openStorage } from '../../storage/open-storage.ts';
import { describeHandoffStoreConformance } from './conformance.ts';

/** Against the real PostgreSQL server of the storage tests, in a throw-away schema. */
const baseUrl = process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `parley_handoff_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });

beforeAll(async () => {
  await admin.connect();
  await admin.query(`create schema ${schema}`);
});
afterAll(async () => {
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

function inSchema(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${name}`);
  return u.toString();
}

describeHandoffStoreConformance('PostgreSQL', () => openStorage({ url: inSchema(baseUrl, schema), poolSize: 2 }));
