import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/apps/logger.ts';
import { demoBotsDir } from '../../src/apps/server/config.ts';
import { startServer, type RunningServer } from '../../src/apps/server/start.ts';

export const testApiKey = 'test-key-0123456789';

/**
 * A real Parley on 127.0.0.1 with the demo bots (or those of `botsDir`) and a fresh SQLite file (or
 * PARLEY_DATABASE_URL's database); `dataDir` is its data folder (the secret key, the API key's file).
 */
export async function startTestServer(
  options: { databaseUrl?: string; botsDir?: string; apiKey?: string; trustProxy?: boolean | string } = {},
): Promise<RunningServer & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      botsDir: options.botsDir ?? demoBotsDir,
      apiKey: options.apiKey ?? testApiKey,
      logLevel: 'warn',
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    },
    { logger: createLogger({ level: 'warn' }), print: () => undefined },
  );
  return {
    ...server,
    dataDir,
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the REST API with the test key. */
export function api(server: RunningServer) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${testApiKey}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  };
}
