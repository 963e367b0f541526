/** The web app's calls to Parley's API: same origin, signed in by the session cookie. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : undefined) as unknown;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'PARLEY_ERR_INTERNAL', err?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export interface Person {
  id: string;
  username: string;
  displayName: string;
  role: 'agent' | 'supervisor' | 'admin';
  agentId: string | null;
  queues: string[];
}

export type Presence = 'available' | 'busy' | 'away' | 'offline';

export interface Turn {
  seq: number;
  speaker: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: string;
  intent: string | null;
  sentiment: number | null;
}

export interface HandoffView {
  escalation: {
    id: string;
    conversationId: string;
    queue: string;
    status: string;
    reason: string;
    message: string | null;
    sentiment: number | null;
    botId: string;
    channel: string;
    requestedAt: string;
  };
  conversation: {
    id: string;
    channel: string;
    customer: string | null;
    historyKey: string;
    intent: string | null;
    entities: Record<string, unknown>;
    variables: Record<string, unknown>;
    turns: Turn[];
  };
  expiresAt?: string;
}

export interface DeskState {
  presence: Presence;
  offers: HandoffView[];
  conversations: HandoffView[];
  transferTargets: { queues: Array<{ id: string; name: string }>; bots: string[] };
  dispositions: string[];
}
