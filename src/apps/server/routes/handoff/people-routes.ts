import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ParleyError } from '../../../../errors.ts';
import { personView, principalOf } from '../../../../handoff/auth/people-service.ts';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import { principal, sessionCookie } from './principal.ts';

const role = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]);
const username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' });
const SignIn = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const NewPerson = Type.Object(
  {
    username,
    password: Type.String({ minLength: 1, maxLength: 200 }),
    role,
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    queues: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }))),
  },
  { additionalProperties: false },
);
const PatchPerson = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(role),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    agentId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    queues: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }))),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** Signing in and out (public), and managing people (administrators). */
export function signInRoutes(app: FastifyInstance, handoff: Handoff): void {
  app.post<{ Body: Static<typeof SignIn> }>('/api/auth/sign-in', { schema: { summary: 'Sign in: a session token (also set as a cookie) that expires', body: SignIn, security: [] } }, async (req, reply) => {
    const { token, expiresAt, person } = await handoff.people.signIn(req.body.username, req.body.password, req.ip);
    const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
    void reply.header('set-cookie', `${sessionCookie}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`);
    await handoff.desk.audit(principalOf(person), 'auth.sign-in', null, null);
    return { token, expiresAt, person: personView(person) };
  });
}

export function peopleRoutes(app: FastifyInstance, handoff: Handoff): void {
  app.get('/api/auth/me', { schema: { summary: 'Who is signed in' } }, (req, reply) => {
    const p = principal(req);
    return reply.send({ id: p.id, username: p.username, displayName: p.displayName, role: p.role, agentId: p.agentId, queues: p.queues });
  });

  app.post('/api/auth/sign-out', { schema: { summary: 'End the session' } }, async (req, reply) => {
    const p = principal(req);
    await handoff.people.signOut(p);
    if (p.agentId !== null && handoff.engine.dispatcher.hasAgent(p.agentId)) handoff.engine.setPresence(p.agentId, 'offline');
    await handoff.desk.audit(p, 'auth.sign-out', null, null);
    void reply.header('set-cookie', `${sessionCookie}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { signedOut: true };
  });

  app.get('/api/people', { schema: { summary: 'People who can sign in (administrators)' } }, async (req) => {
    principal(req, 'admin');
    return { people: (await handoff.people.list()).map(personView) };
  });

  app.post<{ Body: Static<typeof NewPerson> }>('/api/people', { schema: { summary: 'Add a person (administrators)', body: NewPerson } }, async (req, reply) => {
    const p = principal(req, 'admin');
    const agentId = req.body.role === 'agent' ? (req.body.agentId ?? req.body.username) : req.body.agentId;
    if (agentId !== undefined && !handoff.engine.routing.agents.some((a) => a.id === agentId)) {
      throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `no agent '${agentId}' in the routing model: add it first (PUT /api/routing/agents/${agentId})`);
    }
    const person = await handoff.people.create({ ...req.body, ...(agentId !== undefined ? { agentId } : {}) });
    await handoff.desk.audit(p, 'person.create', null, { personId: person.id, username: person.username, role: person.role });
    return reply.status(201).send(personView(person));
  });

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchPerson> }>('/api/people/:id', { schema: { summary: 'Change a person (administrators)', params: IdParams, body: PatchPerson } }, async (req) => {
    const p = principal(req, 'admin');
    const person = await handoff.people.update(req.params.id, req.body);
    await handoff.desk.audit(p, 'person.update', null, { personId: person.id, fields: Object.keys(req.body) });
    return personView(person);
  });

  app.delete<{ Params: Static<typeof IdParams> }>('/api/people/:id', { schema: { summary: 'Remove a person (administrators)', params: IdParams } }, async (req) => {
    const p = principal(req, 'admin');
    await handoff.people.remove(req.params.id);
    await handoff.desk.audit(p, 'person.remove', null, { personId: req.params.id });
    return { removed: true };
  });
}
