import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../../../test/support/server.ts';
import { demoBotsDir } from '../../apps/server/config.ts';
import type { RunningServer } from '../../apps/server/start.ts';

export const handoffApiKey = 'handoff-test-key-0123456789';
export const surveyBotDir = fileURLToPath(new URL('./survey-bot', import.meta.url));
export const demoRouting = readFileSync(join(demoBotsDir, 'routing.yaml'), 'utf8');

/**
 * A real Parley for hand-off tests: the demo bank bot (and the survey bot when asked), a routing file of the
 * test's choosing (the demo's by default) and a fresh SQLite data folder.
 */
export async function startHandoffServer(options: { routing?: string; surveyBot?: boolean; databaseUrl?: string } = {}): Promise<RunningServer & { dataDir: string; dispose(): Promise<void> }> {
  const botsDir = mkdtempSync(join(tmpdir(), 'parley-handoff-bots-'));
  cpSync(join(demoBotsDir, 'bank'), join(botsDir, 'bank'), { recursive: true });
  if (options.surveyBot) cpSync(surveyBotDir, join(botsDir, 'survey'), { recursive: true });
  writeFileSync(join(botsDir, 'routing.yaml'), options.routing ?? demoRouting);
  const server = await startTestServer({ botsDir, apiKey: handoffApiKey, ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
  return {
    ...server,
    async dispose() {
      await server.dispose();
      rmSync(botsDir, { recursive: true, force: true });
    },
  };
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls Parley's API with a bearer token (the API key by default); parses JSON answers. */
export function client(server: { url: string }, token = handoffApiKey) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string; headers: Headers }> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      json = {};
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
}

/** Creates a person with the API key and signs them in; their API client and token. */
export async function signedIn(server: { url: string }, person: { username: string; role: 'agent' | 'supervisor' | 'admin'; agentId?: string; queues?: string[] }) {
  const admin = client(server);
  const password = `pw-${person.username}-0123456789`;
  const created = await admin('POST', '/api/people', { ...person, password });
  if (created.status !== 201) throw new Error(`creating ${person.username}: ${created.status} ${created.text}`);
  const res = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: person.username, password }) });
  const body = (await res.json()) as { token: string };
  return { call: client(server, body.token), token: body.token, password };
}

export { eventually } from './eventually.ts';
