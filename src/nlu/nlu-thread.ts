/**
 * The NLU thread's entry point (see `threaded-engine.ts`): trains and runs the built-in engine's models on
 * the serving thread's requests, one at a time, in the order they arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Expectation } from '../core/action.ts';
import { createBuiltinNlu } from './builtin-engine.ts';
import type { FromNluThread, NluThreadData, SentExpectation, ToNluThread } from './nlu-thread-protocol.ts';
import type { NluModel, TrainingData } from './port.ts';

const port = parentPort;
if (port === null) throw new Error('nlu-thread.ts runs as a worker thread, started by createThreadedNlu');
const engine = createBuiltinNlu((workerData as NluThreadData).options);
const models = new Map<number, { model: NluModel; entities: TrainingData['entities'] }>();

const reply = (message: FromNluThread) => port.postMessage(message);

async function answer(request: Exclude<ToNluThread, { type: 'drop' }>): Promise<FromNluThread> {
  try {
    if (request.type === 'train') {
      models.set(request.model, { model: await engine.train(request.data), entities: request.data.entities });
      return { id: request.id, trained: true };
    }
    const trained = models.get(request.model);
    if (trained === undefined) throw new Error(`the NLU thread has no model ${request.model}`);
    const expect = expectation(request.expect, trained.entities);
    return {
      id: request.id,
      understanding: await trained.model.understand(request.text, { expect, now: new Date(request.nowMs) }),
    };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    return { id: request.id, error: { message, ...(typeof code === 'string' ? { code } : {}) } };
  }
}

/** An entity sent by its name is the model's own. */
function expectation(sent: SentExpectation, entities: TrainingData['entities']): Expectation {
  if (sent.kind !== 'entity' || 'entity' in sent) return sent;
  const entity = entities[sent.name];
  if (entity === undefined) throw new Error(`the model has no entity '${sent.name}'`);
  return { kind: 'entity', entity };
}

port.on('message', (request: ToNluThread) => {
  if (request.type === 'drop') models.delete(request.model);
  else void answer(request).then(reply);
});
