import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The API key: PARLEY_API_KEY, or one generated at first start and kept in the data folder. */
export function resolveApiKey(configured: string | undefined, dataDir: string): { key: string; generated: boolean; file?: string } {
  if (configured) return { key: configured, generated: false };
  const file = join(dataDir, 'api-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), generated: false, file };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, generated: true, file };
}
