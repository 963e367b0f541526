import { Type, type Static, type TSchema } from 'typebox';

/**
 * The JSON Schemas of the files in a bot folder, as authors write them (before defaults are applied).
 * `npx parley schema` writes them out so editors can validate YAML files (see docs/bot-format.md).
 */

const id = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'letters, digits, _ and -' });
const strict = { additionalProperties: false } as const;

export const ButtonSchema = Type.Object({ title: Type.String(), value: Type.String() }, strict);

export const PromptSchema = Type.Union(
  [
    Type.String({ description: 'the same text on every channel' }),
    Type.Object(
      {
        text: Type.String({ description: 'chat text, and speech when no voice variant is given' }),
        voice: Type.Optional(Type.String({ description: 'what voice channels say; may be SSML <speak>…</speak>' })),
        buttons: Type.Optional(Type.Array(ButtonSchema, { description: 'quick replies on chat' })),
      },
      strict,
    ),
  ],
  { description: 'a prompt: a string, or {text, voice, buttons}' },
);

export const TransitionSchema = Type.Union([
  Type.String({ description: 'a node id of this dialog, dialog:<id>, menu or end' }),
  Type.Array(Type.Object({ if: Type.Optional(Type.String()), goto: Type.String() }, strict)),
]);

const ms = (description: string) => Type.Integer({ minimum: 0, maximum: 600_000, description });

export const VoicePropertiesSchema = Type.Object(
  {
    timeout: Type.Optional(ms('no-input timeout, ms')),
    interdigittimeout: Type.Optional(ms('between keypad digits, ms')),
    termchar: Type.Optional(Type.String({ pattern: '^[0-9#*]?$' })),
    termtimeout: Type.Optional(ms('wait for the terminating key, ms')),
    completetimeout: Type.Optional(ms('ms')),
    incompletetimeout: Type.Optional(ms('ms')),
    maxspeechtimeout: Type.Optional(ms('ms')),
    confidencelevel: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    sensitivity: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    speedvsaccuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    bargein: Type.Optional(Type.Boolean()),
    bargeintype: Type.Optional(Type.Union([Type.Literal('speech'), Type.Literal('hotword')])),
    inputmodes: Type.Optional(Type.Union([Type.Literal('dtmf'), Type.Literal('voice'), Type.Literal('dtmf voice')])),
    fetchtimeout: Type.Optional(ms('ms')),
    fetchaudio: Type.Optional(Type.String()),
  },
  strict,
);

const GrammarSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('voice'), Type.Literal('dtmf')])),
    type: Type.Optional(Type.String({ description: 'application/srgs+xml or application/srgs' })),
    src: Type.Optional(Type.String()),
    inline: Type.Optional(Type.String()),
  },
  strict,
);

const ExhaustedSchema = Type.Union([Type.Literal('escalate'), Type.Literal('end'), Type.String({ pattern: '^goto:' })], {
  description: 'escalate, end, or goto:<node>',
});

const base = { id, next: Type.Optional(TransitionSchema) };
const retries = {
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  noInput: Type.Optional(Type.Array(PromptSchema)),
  noMatch: Type.Optional(Type.Array(PromptSchema)),
  onExhausted: Type.Optional(ExhaustedSchema),
  voice: Type.Optional(VoicePropertiesSchema),
};

export const nodeSchemas = {
  message: Type.Object({ ...base, type: Type.Literal('message'), prompt: PromptSchema }, strict),
  prompt: Type.Object(
    {
      ...base,
      ...retries,
      type: Type.Literal('prompt'),
      entity: Type.String({ description: 'an entity of entities.yaml' }),
      variable: Type.Optional(Type.String({ description: 'name under entities.; default: the entity name' })),
      prompt: PromptSchema,
      sensitive: Type.Optional(Type.Boolean()),
      skipIfFilled: Type.Optional(Type.Boolean()),
      grammars: Type.Optional(Type.Array(GrammarSchema)),
    },
    strict,
  ),
  confirm: Type.Object(
    {
      ...base,
      ...retries,
      type: Type.Literal('confirm'),
      prompt: PromptSchema,
      onYes: Type.Optional(TransitionSchema),
      onNo: Type.Optional(TransitionSchema),
    },
    strict,
  ),
  logic: Type.Object(
    {
      ...base,
      type: Type.Literal('logic'),
      set: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'variable: expression' })),
    },
    strict,
  ),
  service: Type.Object(
    {
      ...base,
      type: Type.Literal('service'),
      request: Type.Object(
        {
          method: Type.Optional(
            Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m))),
          ),
          url: Type.String(),
          headers: Type.Optional(Type.Record(Type.String(), Type.String())),
          body: Type.Optional(Type.Unknown()),
          timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
        },
        strict,
      ),
      response: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'variable: path' })),
      onError: Type.Optional(Type.String()),
    },
    strict,
  ),
  transfer: Type.Object(
    {
      ...base,
      type: Type.Literal('transfer'),
      queue: Type.Optional(Type.String()),
      target: Type.Optional(Type.String({ description: 'a SIP URI or phone number outside Parley' })),
      message: Type.Optional(Type.String()),
      context: Type.Optional(Type.Record(Type.String(), Type.String())),
      transferInfo: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()))),
      agentAvailable: Type.Optional(PromptSchema),
      agentUnavailable: Type.Optional(PromptSchema),
      onUnavailable: Type.Optional(Type.String()),
    },
    strict,
  ),
  end: Type.Object(
    {
      ...base,
      type: Type.Literal('end'),
      prompt: Type.Optional(PromptSchema),
      outcome: Type.Optional(Type.Union([Type.Literal('resolved'), Type.Literal('abandoned')])),
    },
    strict,
  ),
} satisfies Record<string, TSchema>;

export const DialogFileSchema = Type.Object(
  {
    id,
    intent: Type.Optional(Type.String()),
    event: Type.Optional(Type.String()),
    digression: Type.Optional(
      Type.Object({ in: Type.Optional(Type.Boolean()), out: Type.Optional(Type.Boolean()) }, strict),
    ),
    nodes: Type.Array(Type.Union(Object.values(nodeSchemas)), { minItems: 1 }),
  },
  strict,
);

export const entityTypes = [
  'number', 'digits', 'date', 'time', 'money', 'phone', 'email', 'yesno', 'list', 'regex', 'composite', 'text',
] as const;

export const EntitySchema = Type.Object(
  {
    type: Type.Union(entityTypes.map((t) => Type.Literal(t))),
    sensitive: Type.Optional(Type.Boolean()),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    values: Type.Optional(
      Type.Array(
        Type.Union([
          Type.String(),
          Type.Object({ value: Type.String(), synonyms: Type.Optional(Type.Array(Type.String())) }, strict),
        ]),
      ),
    ),
    pattern: Type.Optional(Type.String()),
    parts: Type.Optional(Type.Array(Type.String())),
  },
  strict,
);

export const EntitiesFileSchema = Type.Object({ entities: Type.Record(Type.String(), EntitySchema) }, strict);

export const IntentsFileSchema = Type.Object(
  {
    intents: Type.Record(
      Type.String(),
      Type.Union([
        Type.Array(Type.String(), { minItems: 1 }),
        Type.Object(
          { description: Type.Optional(Type.String()), utterances: Type.Array(Type.String(), { minItems: 1 }) },
          strict,
        ),
      ]),
    ),
  },
  strict,
);

const responseNames = [
  'greeting', 'notUnderstood', 'goodbye', 'agentAvailable', 'agentUnavailable', 'error', 'anythingElse', 'resume',
] as const;
export type ResponseName = (typeof responseNames)[number];

export const BotFileSchema = Type.Object(
  {
    id,
    name: Type.String(),
    language: Type.Optional(Type.String()),
    welcome: Type.Optional(Type.String({ description: 'dialog run after the greeting' })),
    settings: Type.Optional(
      Type.Object(
        {
          nluThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
          maxNotUnderstood: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
          defaultQueue: Type.Optional(Type.String()),
          idleTimeoutMinutes: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 10080,
              description: 'minutes without a turn after which an active bot conversation ends, resolved or abandoned as on a hang-up (default 30; 0: never)',
            }),
          ),
          piiPatterns: Type.Optional(Type.Array(Type.String())),
          ivr: Type.Optional(
            Type.Object(
              {
                enabled: Type.Optional(Type.Boolean()),
                transcription: Type.Optional(Type.Boolean()),
                transcriptionEngine: Type.Optional(Type.String()),
                dataKey: Type.Optional(Type.String()),
                confidenceKey: Type.Optional(Type.String()),
                confidenceThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
                properties: Type.Optional(VoicePropertiesSchema),
              },
              strict,
            ),
          ),
        },
        strict,
      ),
    ),
    responses: Type.Optional(Type.Object(Object.fromEntries(responseNames.map((n) => [n, Type.Optional(PromptSchema)])), strict)),
    errorHandler: Type.Optional(
      Type.Object(
        {
          dialog: Type.Optional(Type.String()),
          action: Type.Optional(Type.Union([Type.Literal('escalate'), Type.Literal('end')])),
        },
        strict,
      ),
    ),
    variables: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  strict,
);

export type BotFile = Static<typeof BotFileSchema>;
export type DialogFile = Static<typeof DialogFileSchema>;
export type EntitiesFile = Static<typeof EntitiesFileSchema>;
export type IntentsFile = Static<typeof IntentsFileSchema>;
export type PromptInput = Static<typeof PromptSchema>;
export type TransitionInput = Static<typeof TransitionSchema>;
export { responseNames };
