import type { FastifyError, FastifyInstance } from 'fastify';
import { isParleyError } from '../../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; hint?: string; details?: unknown };
}

/** Maps every error to `{ error: { code, message, hint } }` with the status of its code. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: { code: 'PARLEY_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}`, hint: 'the OpenAPI document at /openapi.json lists the routes' },
    } satisfies ErrorBody);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isParleyError(err)) {
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      return reply.status(err.status).send({
        error: { code: err.code, message: err.message, hint: err.hint, ...(err.details !== undefined ? { details: err.details } : {}) },
      } satisfies ErrorBody);
    }
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const problems = err.validation.map((v) => `${where}${v.instancePath || ''} ${v.message ?? 'is invalid'}`);
      return reply.status(400).send({
        error: { code: 'PARLEY_ERR_BAD_REQUEST', message: problems.join('; '), hint: 'fix the request as the message says; /openapi.json has the schemas' },
      } satisfies ErrorBody);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({
        error: { code: 'PARLEY_ERR_BAD_REQUEST', message: err.message, hint: 'fix the request as the message says' },
      } satisfies ErrorBody);
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({
      error: { code: 'PARLEY_ERR_INTERNAL', message: 'internal error', hint: 'this is a bug in Parley; the server log has the details' },
    } satisfies ErrorBody);
  });
}
