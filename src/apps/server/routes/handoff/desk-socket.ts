import type { FastifyInstance } from 'fastify';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import type { DeskFrame } from '../../../../handoff/live-hub.ts';
import { resolvePrincipal } from './principal.ts';

/**
 * `/desk/ws`: the live feed of the agent desktop and supervisor view, signed in by the session cookie (or
 * `?token=`). Agents receive their offers, withdrawals, assignments, the turns of the conversations they hold
 * and their presence; supervisors and administrators an `overview-changed` nudge. When an agent's last
 * connection closes, they go offline after the model's presence grace period unless they come back.
 */
export function deskSocketRoute(app: FastifyInstance, handoff: Handoff, apiKey: string): void {
  const graceTimers = new Map<string, NodeJS.Timeout>();
  app.addHook('onClose', (_app, done) => {
    for (const t of graceTimers.values()) clearTimeout(t);
    done();
  });

  app.get('/desk/ws', { websocket: true, schema: { hide: true } }, (ws, req) => {
    let detach: (() => void) | undefined;
    let closed = false;
    ws.on('close', () => {
      closed = true;
      detach?.();
    });
    const send = (frame: DeskFrame | { type: 'error'; code: string; message: string } | { type: 'pong' }) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    ws.on('message', (data) => {
      if (Buffer.isBuffer(data) && data.toString().includes('"ping"')) send({ type: 'pong' });
    });
    void resolvePrincipal(req, apiKey, handoff.people, { queryToken: true }).then(
      (p) => {
        if (closed) return;
        if (!p) {
          send({ type: 'error', code: 'PARLEY_ERR_UNAUTHORIZED', message: 'sign in first; the session may have expired' });
          ws.close(4401, 'unauthorized');
          return;
        }
        const agentId = p.agentId !== null && handoff.engine.dispatcher.hasAgent(p.agentId) ? p.agentId : null;
        if (agentId) {
          const t = graceTimers.get(agentId);
          if (t) clearTimeout(t);
          graceTimers.delete(agentId);
        }
        const off = handoff.hub.attach({ personId: p.id, agentId, role: p.role, queues: p.queues, send });
        detach = () => {
          off();
          if (!agentId || handoff.hub.connectionsOf(agentId) > 0) return;
          const t = setTimeout(() => {
            graceTimers.delete(agentId);
            if (handoff.hub.connectionsOf(agentId) === 0 && handoff.engine.dispatcher.presenceOf(agentId) !== 'offline') {
              handoff.engine.setPresence(agentId, 'offline');
              void handoff.desk.audit(p, 'presence.lost', null, { presence: 'offline' }).catch(() => undefined);
            }
          }, handoff.engine.routing.presenceGraceMs);
          t.unref();
          graceTimers.set(agentId, t);
        };
        send({
          type: 'hello',
          person: { id: p.id, username: p.username, displayName: p.displayName, role: p.role, agentId },
          presence: agentId ? handoff.engine.dispatcher.presenceOf(agentId) : 'offline',
        });
      },
      (err: unknown) => {
        req.log.warn({ err }, 'desk socket sign-in failed');
        ws.close(1011, 'internal error');
      },
    );
  });
}
