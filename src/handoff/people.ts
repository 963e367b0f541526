/** Who signs in to the agent desktop and supervisor view. */
export type Role = 'agent' | 'supervisor' | 'admin';
export const roles: readonly Role[] = ['agent', 'supervisor', 'admin'];

export interface PersonRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (see `passwords.ts`). */
  passwordHash: string;
  /** The routing model's agent profile this person works as (agents). */
  agentId: string | null;
  /** The queues a supervisor oversees. */
  queues: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  /** SHA-256 of the bearer token; the token itself is never stored. */
  tokenHash: string;
  personId: string;
  createdAt: string;
  expiresAt: string;
}

/** One line of the audit log: who did what to which conversation. */
export interface AuditEntry {
  id: string;
  at: string;
  /** A person's id, `api-key` or `system`. */
  actor: string;
  role: Role | 'system';
  action: string;
  conversationId: string | null;
  detail: Record<string, unknown> | null;
}
