import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { CallRegistry } from '../../../channels/sip-call/call-registry.ts';
import type { SandboxLine } from '../../../channels/sip-call/sandbox-line.ts';
import { ParleyError } from '../../../errors.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export interface CallRoutesDeps {
  calls: CallRegistry;
  sandbox?: SandboxLine;
  /** Calls at once the gateway takes. */
  maxCalls?: number;
}

/** Phone calls on the SIP gateway, in progress and recent, with their media statistics (packets, loss, jitter, send clock). */
export function callRoutes(api: FastifyInstance, deps: CallRoutesDeps): void {
  api.get('/api/calls', { schema: { summary: 'Calls on the SIP gateway: in progress and the last ones, with media statistics' } }, () => ({
    active: deps.calls.active(),
    recent: deps.calls.recent(),
    ...(deps.maxCalls !== undefined ? { maxCalls: deps.maxCalls } : {}),
    ...(deps.sandbox ? { sandbox: { number: deps.sandbox.number, active: deps.sandbox.active, maxCalls: deps.sandbox.maxCalls } } : {}),
  }));
  api.get<{ Params: Static<typeof IdParams> }>('/api/calls/:id', { schema: { summary: 'One call (by Parley call id or SIP Call-ID)', params: IdParams } }, (req) => {
    const call = deps.calls.get(req.params.id);
    if (!call) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no call '${req.params.id}' (GET /api/calls lists them)`);
    return call;
  });
}
