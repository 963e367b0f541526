/**
 * An NLU engine over a plain JSON endpoint of your own. The contract (also in docs of the engine option):
 *
 * Training (only when `trainUrl` is set): `POST trainUrl` with the bot's training data
 *   `{ "language": "en", "intents": [{ "name", "utterances": [] }], "entities": { "<name>": EntityDef } }`
 *   answered with `{ "model": "<id>" }` (any string naming the trained model).
 *
 * Understanding: `POST url` with
 *   `{ "text": "pay 50 dollars tomorrow", "language": "en", "model": "<id>"?,
 *      "expect": { "kind": "intent" | "confirm" } | { "kind": "entity", "entity": { "name", "type" } },
 *      "now": "2025-03-12T15:00:00.000Z" }`
 * answered with
 *   `{ "intents": [{ "name": "pay_bill", "confidence": 0.93 }],
 *      "entities"?: [{ "name": "amount", "value": …, "text"?: "50 dollars" }],
 *      "sentiment"?: -1…1, "amend"?: boolean }`.
 * Intents may be in any order (they are ranked here); what the answer leaves out is completed locally.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { ParleyError } from '../../errors.ts';
import type { NluEngine, NluModel, TrainingData, UnderstandContext } from '../port.ts';
import { completeUnderstanding, type LocalCompletionOptions } from './complete-understanding.ts';
import { endpointName, postJson } from './post-json.ts';

export interface HttpNluOptions extends LocalCompletionOptions {
  url: string;
  trainUrl?: string;
  headers?: Record<string, string>;
  /** 3000 by default; training gets ten times as long. */
  timeoutMs?: number;
}

const HttpAnswer = Type.Object({
  intents: Type.Array(
    Type.Object({ name: Type.String(), confidence: Type.Number({ minimum: 0, maximum: 1 }) }),
  ),
  entities: Type.Optional(
    Type.Array(
      Type.Object({ name: Type.String(), value: Type.Unknown(), text: Type.Optional(Type.String()) }),
    ),
  ),
  sentiment: Type.Optional(Type.Number({ minimum: -1, maximum: 1 })),
  amend: Type.Optional(Type.Boolean()),
});
const TrainAnswer = Type.Object({ model: Type.String() });
const checkAnswer = Compile(HttpAnswer);
const checkTrain = Compile(TrainAnswer);
export type HttpNluAnswer = Static<typeof HttpAnswer>;

function unexpected(url: string, errors: Iterable<{ instancePath: string }>): ParleyError {
  const paths = [...errors].slice(0, 3).map((e) => e.instancePath || '/');
  return new ParleyError(
    'PARLEY_ERR_NLU',
    `the NLU engine at ${endpointName(url)} answered an unexpected shape (${paths.join(', ')})`,
    {
      retryable: false,
    },
  );
}

export function createHttpNlu(options: HttpNluOptions): NluEngine {
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    name: 'http',
    async train(data: TrainingData, signal?: AbortSignal): Promise<NluModel> {
      signal?.throwIfAborted();
      let modelId: string | undefined;
      if (options.trainUrl !== undefined) {
        const body = await postJson(options.trainUrl, data, {
          timeoutMs: timeoutMs * 10,
          headers: options.headers,
          signal,
        });
        if (!checkTrain.Check(body)) throw unexpected(options.trainUrl, checkTrain.Errors(body));
        modelId = body.model;
      }
      return {
        async understand(text: string, ctx: UnderstandContext) {
          const expect =
            ctx.expect.kind === 'entity'
              ? { kind: 'entity', entity: { name: ctx.expect.entity.name, type: ctx.expect.entity.type } }
              : ctx.expect;
          const request = {
            text,
            language: data.language,
            ...(modelId !== undefined ? { model: modelId } : {}),
            expect,
            now: ctx.now.toISOString(),
          };
          const body = await postJson(options.url, request, {
            timeoutMs,
            headers: options.headers,
            signal: ctx.signal,
          });
          if (!checkAnswer.Check(body)) throw unexpected(options.url, checkAnswer.Errors(body));
          const entities = (body.entities ?? []).map((e) => ({
            name: e.name,
            value: e.value,
            text: e.text ?? String(e.value),
          }));
          return completeUnderstanding(
            text,
            ctx,
            data.entities,
            { intents: body.intents, entities, sentiment: body.sentiment, amend: body.amend },
            options,
          );
        },
      };
    },
  };
}
