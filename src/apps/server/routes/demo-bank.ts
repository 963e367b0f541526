import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';

/**
 * The demo bank's back end, served by Parley itself so the demo bot's service nodes have something real
 * to call. A PIN of 0000 is refused; balances are derived from the account number.
 */
const BalanceBody = Type.Object({ accountNumber: Type.String({ pattern: '^[0-9]{8}$' }), pin: Type.String({ pattern: '^[0-9]{4}$' }) });
const BlockBody = Type.Object({ cardType: Type.String(), caller: Type.Optional(Type.String()) });

function digestNumber(text: string, mod: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % mod;
}

export function demoBankRoutes(app: FastifyInstance): void {
  app.post<{ Body: Static<typeof BalanceBody> }>('/demo/bank/balance', { schema: { hide: true, body: BalanceBody } }, async (req, reply) => {
    if (req.body.pin === '0000') return reply.status(401).send({ error: 'account number and PIN do not match' });
    const cents = digestNumber(req.body.accountNumber, 1_000_000);
    return { accountNumber: req.body.accountNumber, balance: { amount: cents / 100, currency: 'USD' } };
  });
  app.post<{ Body: Static<typeof BlockBody> }>('/demo/bank/cards/block', { schema: { hide: true, body: BlockBody } }, async (req) => {
    const ref = `BLK-${String(digestNumber(`${req.body.cardType}:${Date.now()}`, 1_000_000)).padStart(6, '0')}`;
    return { blocked: true, cardType: req.body.cardType, reference: ref };
  });
}
