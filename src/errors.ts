/**
 * The one registry of Parley's error codes. Every error a user can see carries a code from here and a
 * message that says how to fix the problem; the HTTP layer maps codes to statuses.
 */
export const errorCodes = {
  PARLEY_ERR_BOT_INVALID: { status: 422, hint: 'fix the bot files at the places listed and load the bot again' },
  PARLEY_ERR_BOT_NOT_FOUND: { status: 404, hint: 'check the bot id; `GET /api/bots` lists the loaded bots' },
  PARLEY_ERR_CONVERSATION_NOT_FOUND: { status: 404, hint: 'check the conversation id' },
  PARLEY_ERR_CONVERSATION_ENDED: { status: 409, hint: 'start a new conversation' },
  PARLEY_ERR_CONFLICT: { status: 409, hint: 'the resource changed meanwhile; read it again and retry' },
  PARLEY_ERR_UNAUTHORIZED: { status: 401, hint: 'send `Authorization: Bearer <key>` with the API key' },
  PARLEY_ERR_FORBIDDEN: { status: 403, hint: 'use credentials that are allowed to do this' },
  PARLEY_ERR_TOO_MANY_ATTEMPTS: { status: 429, hint: 'wait for the time given in Retry-After, or ask an administrator to set a new password' },
  PARLEY_ERR_BAD_REQUEST: { status: 400, hint: 'fix the request as the message says' },
  PARLEY_ERR_NOT_FOUND: { status: 404, hint: 'check the URL; the OpenAPI document is at /openapi.json' },
  PARLEY_ERR_CONFIG: { status: 500, hint: 'fix the configuration value named in the message' },
  PARLEY_ERR_STORAGE: { status: 503, hint: 'check that the database is reachable and retry' },
  PARLEY_ERR_SERVICE_CALL: { status: 502, hint: 'check the service node URL and that the service is up' },
  PARLEY_ERR_NLU: { status: 502, hint: 'check the NLU engine configuration and that it is reachable' },
  PARLEY_ERR_NLU_DATA: { status: 422, hint: 'fix the intent examples or the model file at the place named in the message' },
  PARLEY_ERR_SPEECH: { status: 502, hint: 'check that the speech engine named in the message is installed (espeak-ng, flite, pocketsphinx) and configured' },
  PARLEY_ERR_INTERNAL: { status: 500, hint: 'this is a bug in Parley; the log has the details' },
} as const satisfies Record<string, { status: number; hint: string }>;

export type ErrorCode = keyof typeof errorCodes;

export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  /** May the same call succeed when tried again? */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get hint(): string {
    return errorCodes[this.code].hint;
  }
}

export function isParleyError(value: unknown): value is ParleyError {
  return value instanceof ParleyError;
}
