import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../../errors.ts';

/** Checks `Authorization: Bearer <key>` against the API key, in constant time. */
export function bearerAuth(apiKey: string) {
  const expected = Buffer.from(apiKey);
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const given = Buffer.from(m?.[1]?.trim() ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ParleyError('PARLEY_ERR_UNAUTHORIZED', m ? 'the API key is not valid' : 'missing bearer token');
    }
  };
}
