import { ParleyError } from '../errors.ts';
import { VersionConflictError } from './port.ts';

/**
 * Turns a driver error (better-sqlite3 or pg) into a ParleyError at the edge. Driver messages name tables and
 * constraints, never the values involved, so they are safe to carry.
 */
export function toStorageError(error: unknown, operation: string): Error {
  if (error instanceof ParleyError || error instanceof VersionConflictError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    const what = /history_key/.test(message) ? 'history key' : 'id';
    return new ParleyError('PARLEY_ERR_CONFLICT', `${operation}: a record with the same ${what} already exists`, { cause: error });
  }
  if (isUnreachable(code, message)) {
    return new ParleyError('PARLEY_ERR_STORAGE', `${operation}: the database is unreachable (${message})`, {
      cause: error,
      retryable: true,
    });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === '40001' || code === '40P01') {
    return new ParleyError('PARLEY_ERR_STORAGE', `${operation}: the database is busy (${message})`, { cause: error, retryable: true });
  }
  return new ParleyError('PARLEY_ERR_STORAGE', `${operation} failed: ${message}`, { cause: error });
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

function isUnreachable(code: string | undefined, message: string): boolean {
  if (code !== undefined && (unreachableCodes.has(code) || code.startsWith('08'))) return true;
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}
