import { Type, type Static } from 'typebox';

const text = Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]);

export const StepSchema = Type.Union([
  Type.Object({ user: Type.String() }, { additionalProperties: false }),
  Type.Object({ dtmf: Type.String({ pattern: '^[0-9*#]+$' }) }, { additionalProperties: false }),
  Type.Object({ event: Type.String() }, { additionalProperties: false }),
  Type.Object({ bot: text }, { additionalProperties: false, description: 'each text must appear in what the bot said last' }),
  Type.Object({ botNot: text }, { additionalProperties: false, description: 'none of these may appear in what the bot said last' }),
  Type.Object({ action: Type.String() }, { additionalProperties: false, description: 'the bot did this action in the last turn' }),
  Type.Object({ expect: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false, description: 'status, outcome, intent or variable paths' }),
  Type.Object({ notInTranscript: text }, { additionalProperties: false, description: 'the stored transcript must not hold these' }),
]);

export const TestFileSchema = Type.Object(
  {
    conversations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String(),
            channel: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('voice'), Type.Literal('ivr')])),
            customer: Type.Optional(Type.String()),
            session: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            steps: Type.Array(StepSchema, { minItems: 1 }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    utterances: Type.Optional(
      Type.Array(Type.Object({ text: Type.String(), intent: Type.String() }, { additionalProperties: false })),
    ),
  },
  { additionalProperties: false },
);

export type TestFile = Static<typeof TestFileSchema>;
export type ScriptStep = Static<typeof StepSchema>;
