import { resolve } from 'node:path';
import { ParleyError } from '../errors.ts';

export type StorageTarget =
  | { kind: 'sqlite'; /** absolute path, or `:memory:` */ file: string }
  | { kind: 'postgres'; url: string; /** host:port/database, without credentials, for messages and logs */ display: string };

export const defaultDataDir = './data';
export const sqliteFileName = 'parley.db';

/**
 * Where the data lives:
 * - no URL, or `sqlite:` alone: `<dataDir>/parley.db` (dataDir defaults to `./data`);
 * - `sqlite:<path>` or `sqlite://<path>` (so `sqlite:///var/lib/parley.db` is absolute), `sqlite::memory:`;
 * - `postgres://` or `postgresql://` URLs, passed to `pg` as they are (query parameters such as
 *   `options=-c search_path=parley` work).
 */
export function resolveStorageTarget(config: { url?: string | undefined; dataDir?: string | undefined }): StorageTarget {
  const url = config.url?.trim() ?? '';
  const defaultFile = (): string => resolve(config.dataDir ?? defaultDataDir, sqliteFileName);
  if (url === '') return { kind: 'sqlite', file: defaultFile() };

  if (/^sqlite:/i.test(url)) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') return { kind: 'sqlite', file: defaultFile() };
    return { kind: 'sqlite', file: path === ':memory:' ? path : resolve(path) };
  }

  if (/^postgres(?:ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ParleyError('PARLEY_ERR_CONFIG', `the storage URL is not a valid URL: write it as ${postgresExample}`);
    }
    if (parsed.hostname === '') {
      throw new ParleyError('PARLEY_ERR_CONFIG', `the storage URL names no host: write it as ${postgresExample}`);
    }
    return { kind: 'postgres', url, display: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}` };
  }

  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new ParleyError(
    'PARLEY_ERR_CONFIG',
    `the storage URL ${scheme === undefined ? 'has no scheme' : `scheme "${scheme}:" is not supported`}: ` +
      `use ${postgresExample} for PostgreSQL, or sqlite:<path> (or no URL) for SQLite`,
  );
}

const postgresExample = 'postgres://user:password@host:5432/database';
