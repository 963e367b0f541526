import { Type, type Static } from 'typebox';

/**
 * The schema of `routing.yaml` as authors write it (before defaults). The REST API takes and returns the same
 * shape as JSON. `docs/routing.md` describes every field.
 */

const id = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$', description: 'letters, digits, _ . and -' });
const strict = { additionalProperties: false } as const;
const ms = (description: string) => Type.Integer({ minimum: 0, maximum: 86_400_000, description });
const names = Type.Array(Type.String({ minLength: 1, maxLength: 64 }));
const range = Type.String({ pattern: '^\\d\\d:\\d\\d-\\d\\d:\\d\\d$', description: 'HH:MM-HH:MM, end exclusive' });

export const HoursSchema = Type.Object(
  {
    timezone: Type.String({ minLength: 1, description: 'IANA time zone, e.g. Europe/London' }),
    weekly: Type.Object(
      Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, Type.Optional(Type.Array(range))])),
      strict,
    ),
    closedOn: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$' }))),
  },
  strict,
);

export const QueueSchema = Type.Object(
  {
    id,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    hours: Type.Optional(HoursSchema),
    overflow: Type.Optional(
      Type.Object(
        {
          queue: id,
          when: Type.Optional(Type.Array(Type.Union([Type.Literal('closed'), Type.Literal('no-agents')]))),
          afterMs: Type.Optional(ms('waiting longer than this moves the customer to the overflow queue')),
        },
        strict,
      ),
    ),
    offerTimeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 600_000 })),
    skills: Type.Optional(names),
    connector: Type.Optional(id),
  },
  strict,
);

const capacity = Type.Integer({ minimum: 0, maximum: 100 });

export const AgentSchema = Type.Object(
  {
    id,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    skills: Type.Optional(names),
    languages: Type.Optional(names),
    capacity: Type.Optional(Type.Object({ chat: Type.Optional(capacity), voice: Type.Optional(capacity) }, strict)),
    queues: Type.Array(id),
  },
  strict,
);

export const RuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    if: Type.String({ minLength: 1, maxLength: 2000, description: 'a condition in the bot expression language' }),
    queue: id,
    skills: Type.Optional(names),
  },
  strict,
);

export const WorkstreamSchema = Type.Object(
  {
    id,
    channel: Type.Union([Type.Literal('chat'), Type.Literal('voice')]),
    bots: Type.Optional(Type.Array(id)),
    rules: Type.Optional(Type.Array(RuleSchema)),
  },
  strict,
);

const secret = Type.String({ minLength: 1, maxLength: 500, description: 'the value, or env:NAME to read it from the environment' });

export const ConnectorSchema = Type.Union([
  Type.Object(
    { id, kind: Type.Literal('cxone'), signalUrl: Type.String({ minLength: 1 }), tokenUrl: Type.String({ minLength: 1 }), accessKeyId: secret, accessKeySecret: secret },
    strict,
  ),
  Type.Object(
    {
      id,
      kind: Type.Literal('webhook'),
      url: Type.String({ minLength: 1 }),
      secret,
      maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
      initialBackoffMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
    },
    strict,
  ),
  Type.Object(
    { id, kind: Type.Literal('sip'), target: Type.String({ minLength: 1 }), headers: Type.Optional(Type.Record(Type.String(), Type.String())) },
    strict,
  ),
]);

export const RoutingFileSchema = Type.Object(
  {
    workstreams: Type.Optional(Type.Array(WorkstreamSchema)),
    queues: Type.Array(QueueSchema),
    agents: Type.Optional(Type.Array(AgentSchema)),
    bots: Type.Optional(Type.Array(Type.Object({ id, queues: Type.Array(id) }, strict))),
    surveys: Type.Optional(Type.Array(Type.Object({ if: Type.String({ minLength: 1 }), bot: id }, strict))),
    connectors: Type.Optional(Type.Array(ConnectorSchema)),
    presenceGraceMs: Type.Optional(ms('how long presence survives the loss of the last live connection')),
  },
  strict,
);

export type RoutingFile = Static<typeof RoutingFileSchema>;
export type QueueInput = Static<typeof QueueSchema>;
export type AgentInput = Static<typeof AgentSchema>;
