/**
 * An NLU engine over a Rasa server: `POST <url>/model/parse` with `{"text": …}`, answered with
 * `{ intent: { name, confidence }, intent_ranking: [{ name, confidence }], entities: [{ entity, value,
 * start, end, … }] }`. The Rasa model is trained and served by Rasa itself, so `train()` only keeps the
 * bot's entities for the local completion (the expected entity, sentiment, amendments).
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { ParleyError } from '../../errors.ts';
import type { ExtractedEntity } from '../../core/input.ts';
import type { NluEngine, NluModel, TrainingData, UnderstandContext } from '../port.ts';
import { completeUnderstanding, type LocalCompletionOptions } from './complete-understanding.ts';
import { endpointName, postJson } from './post-json.ts';

export interface RasaNluOptions extends LocalCompletionOptions {
  /** Base URL of the Rasa server (`http://127.0.0.1:5005`). */
  url: string;
  /** Rasa's token authentication (`--auth-token`), sent as `?token=`. */
  token?: string;
  headers?: Record<string, string>;
  /** 3000 by default. */
  timeoutMs?: number;
}

const Ranked = Type.Object({ name: Type.Union([Type.String(), Type.Null()]), confidence: Type.Number() });
const RasaParse = Type.Object({
  intent: Type.Union([Ranked, Type.Null()]),
  intent_ranking: Type.Optional(Type.Array(Ranked)),
  entities: Type.Optional(
    Type.Array(
      Type.Object({
        entity: Type.String(),
        value: Type.Unknown(),
        start: Type.Optional(Type.Number()),
        end: Type.Optional(Type.Number()),
        role: Type.Optional(Type.String()),
      }),
    ),
  ),
});
const checkParse = Compile(RasaParse);
export type RasaParseResponse = Static<typeof RasaParse>;

export function parseUrl(base: string, token?: string): string {
  const url = new URL('model/parse', base.endsWith('/') ? base : `${base}/`);
  if (token !== undefined) url.searchParams.set('token', token);
  return url.toString();
}

/** Rasa's answer as intents and entities (an entity with a role is named `entity:role`). */
export function fromRasa(
  text: string,
  body: RasaParseResponse,
): { intents: Array<{ name: string; confidence: number }>; entities: ExtractedEntity[] } {
  const ranking = body.intent_ranking ?? (body.intent ? [body.intent] : []);
  const intents = ranking.flatMap((r) =>
    r.name === null || r.name === '' ? [] : [{ name: r.name, confidence: r.confidence }],
  );
  const entities = (body.entities ?? []).map((e) => {
    const span = e.start !== undefined && e.end !== undefined ? text.slice(e.start, e.end) : undefined;
    return {
      name: e.role ? `${e.entity}:${e.role}` : e.entity,
      value: e.value,
      text: span ?? String(e.value),
    };
  });
  return { intents, entities };
}

export function createRasaNlu(options: RasaNluOptions): NluEngine {
  const url = parseUrl(options.url, options.token);
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    name: 'rasa',
    train(data: TrainingData, signal?: AbortSignal): Promise<NluModel> {
      if (signal?.aborted)
        return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const model: NluModel = {
        async understand(text: string, ctx: UnderstandContext) {
          const body = await postJson(
            url,
            { text },
            { timeoutMs, headers: options.headers, signal: ctx.signal },
          );
          if (!checkParse.Check(body)) {
            const paths = [...checkParse.Errors(body)].slice(0, 3).map((e) => e.instancePath || '/');
            throw new ParleyError(
              'PARLEY_ERR_NLU',
              `the Rasa server at ${endpointName(url)} answered an unexpected shape (${paths.join(', ')})`,
              {
                retryable: false,
              },
            );
          }
          return completeUnderstanding(text, ctx, data.entities, fromRasa(text, body), options);
        },
      };
      return Promise.resolve(model);
    },
  };
}
