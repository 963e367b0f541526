import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isParleyError } from '../errors.ts';
import { resolveStorageTarget } from './storage-url.ts';

describe('storage URL', () => {
  it('defaults to parley.db in ./data, or in the data directory given', () => {
    expect(resolveStorageTarget({})).toEqual({ kind: 'sqlite', file: resolve('data/parley.db') });
    expect(resolveStorageTarget({ url: 'sqlite:', dataDir: '/srv/parley' })).toEqual({ kind: 'sqlite', file: '/srv/parley/parley.db' });
  });

  it('reads sqlite: URLs with relative, absolute and in-memory paths', () => {
    expect(resolveStorageTarget({ url: 'sqlite:db/x.db' })).toEqual({ kind: 'sqlite', file: resolve('db/x.db') });
    expect(resolveStorageTarget({ url: 'sqlite:///var/lib/parley.db' })).toEqual({ kind: 'sqlite', file: '/var/lib/parley.db' });
    expect(resolveStorageTarget({ url: 'sqlite::memory:' })).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('passes postgres URLs through and describes them without the password', () => {
    const url = 'postgresql://parley:s3cret@db.internal/parley?sslmode=require';
    expect(resolveStorageTarget({ url })).toEqual({ kind: 'postgres', url, display: 'db.internal:5432/parley' });
  });

  it('refuses other schemes with a configuration error that shows the accepted forms, not the URL', () => {
    for (const url of ['mysql://root:s3cret@localhost/parley', 'postgres://', 'just-a-name']) {
      let error: unknown;
      try {
        resolveStorageTarget({ url });
      } catch (caught) {
        error = caught;
      }
      expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_CONFIG');
      expect((error as Error).message).toMatch(/postgres:\/\/user:password@host:5432\/database/);
      expect((error as Error).message).not.toMatch(/s3cret/);
    }
  });
});
