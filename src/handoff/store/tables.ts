/** The hand-off's tables (migration `0002-handoff`) as Kysely sees them; same shapes from both dialects. */

export type PeopleTable = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  agent_id: string | null;
  /** JSON text */
  queues: string;
  created_at: string;
  updated_at: string;
};

export type PeopleSessionsTable = {
  token_hash: string;
  person_id: string;
  created_at: string;
  expires_at: string;
};

export type EscalationsTable = {
  id: string;
  conversation_id: string;
  bot_id: string;
  channel: string;
  queue: string;
  requested_queue: string;
  rule: string | null;
  status: string;
  history_key: string;
  agent_id: string | null;
  connector: string | null;
  /** JSON text */
  context: string;
  /** JSON text */
  skills: string;
  language: string | null;
  disposition: string | null;
  end_reason: string | null;
  requested_at: string;
  queued_at: string | null;
  offered_at: string | null;
  accepted_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
  event_count: number;
};

export type EscalationEventsTable = {
  escalation_id: string;
  seq: number;
  kind: string;
  at: string;
  agent_id: string | null;
  queue: string | null;
  /** JSON text */
  detail: string | null;
};

export type AuditLogTable = {
  id: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  conversation_id: string | null;
  /** JSON text */
  detail: string | null;
};

export type SurveyAnswersTable = {
  conversation_id: string;
  bot_id: string;
  /** JSON text */
  answers: string;
  at: string;
};

export type WebhookDeliveriesTable = {
  connector: string;
  event_id: string;
  type: string;
  /** JSON text */
  payload: string;
  status: string;
  attempts: number;
  created_at: string;
  updated_at: string;
};

export type HandoffTables = {
  people: PeopleTable;
  people_sessions: PeopleSessionsTable;
  escalations: EscalationsTable;
  escalation_events: EscalationEventsTable;
  audit_log: AuditLogTable;
  survey_answers: SurveyAnswersTable;
  webhook_deliveries: WebhookDeliveriesTable;
};
