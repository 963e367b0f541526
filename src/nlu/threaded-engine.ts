/**
 * The built-in NLU on a thread of its own as well, used while the serving thread is busy (ADR 0007).
 *
 * Understanding a sentence (intent classifier, entity extractors, sentiment) is about a fifth of what the
 * serving thread spends on a chat turn, and pure computation: on a worker thread it leaves the event loop to
 * HTTP, the dialog engine, storage and the voice channels' packet clocks, and a second core does it. But each
 * request costs two messages and wakes the thread: at full load that is amortized (sending every sentence
 * gave 27–30% more chat turns a second on the 2-core test machine), below it every sentence pays the
 * wake-ups (+90 µs of CPU per chat turn at 1,700 turns a second, and a longer latency tail). So each model is
 * trained on both threads, and a sentence goes to the NLU thread only while the serving thread's event loop
 * utilization over the last 100 ms or more is at or above `offloadAbove` (0.85): 18–26% more chat turns a
 * second at full load, the same latency below it.
 *
 * The engine is the same on both (`createBuiltinNlu`), so a sentence is understood exactly alike wherever it
 * runs. Should the thread fail or stop, every request waiting for it and every later one is understood on the
 * serving thread, with a warning logged: a turn never waits on a thread that is gone.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Understanding } from '../core/input.ts';
import { ParleyError, errorCodes, type ErrorCode } from '../errors.ts';
import { createBuiltinNlu, type BuiltinNluOptions } from './builtin-engine.ts';
import type { FromNluThread, NluThreadData, SentExpectation, ToNluThread } from './nlu-thread-protocol.ts';
import type { NluEngine, NluModel, TrainingData, UnderstandContext } from './port.ts';

export interface ThreadedNluOptions {
  /** The built-in engine's options, for the models on both threads. */
  builtin?: BuiltinNluOptions;
  logger?: { warn(fields: object, message: string): void };
  /** Told of the thread once it is started (tests stop it to see the serving thread take over). */
  onThread?: (worker: Worker) => void;
  /**
   * The serving thread's event loop utilization (0–1) from which sentences go to the NLU thread (default
   * 0.85); 0 sends every sentence there.
   */
  offloadAbove?: number;
}

/** How long the event loop utilization that decides where sentences go is measured over, at least. */
const LOAD_WINDOW_MS = 100;

export interface ThreadedNluEngine extends NluEngine {
  /** Whether the models are still understood on the thread (false once it failed or was closed). */
  readonly threaded: boolean;
  /** Sentences the thread has understood so far (those understood on the serving thread are not counted). */
  readonly understoodOnThread: number;
  /** Stops the thread; requests still waiting and later ones are understood on the serving thread. */
  close(): Promise<void>;
}

/** The thread runs TypeScript through the same loader as the `parley` command. */
const loader = new URL('../../bin/typescript.js', import.meta.url);
const entry = new URL('./nlu-thread.ts', import.meta.url);

export function createThreadedNlu(options: ThreadedNluOptions = {}): ThreadedNluEngine {
  return new ThreadedNlu(options);
}

/** A request as the models make it; the engine numbers it. */
type RequestBody =
  | { type: 'train'; model: number; data: TrainingData }
  | { type: 'understand'; model: number; text: string; expect: SentExpectation; nowMs: number };

interface Waiting {
  settle(answer: FromNluThread): void;
  /** Answers on the serving thread instead (the thread is gone). */
  fallBack(): void;
}

class ThreadedNlu implements ThreadedNluEngine {
  readonly name = 'builtin';
  readonly #options: ThreadedNluOptions;
  #worker: Worker | undefined;
  #stopped = false;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #nextModel = 0;
  #understood = 0;
  /** The engine of the models' copies on the serving thread. */
  readonly #local: NluEngine;
  readonly #offloadAbove: number;
  #load = { since: performance.eventLoopUtilization(), at: performance.now(), busy: false };
  /** Frees a model on the thread once its handle is collected here (a bot replaced or removed). */
  readonly #drops = new FinalizationRegistry<number>((model) => this.#post({ type: 'drop', model }));

  constructor(options: ThreadedNluOptions) {
    this.#options = options;
    this.#offloadAbove = options.offloadAbove ?? 0.85;
    this.#local = createBuiltinNlu(options.builtin);
    const data: NluThreadData = { options: options.builtin ?? {} };
    const worker = new Worker(entry, { workerData: data, execArgv: ['--import', loader.href] });
    worker.unref();
    worker.on('message', (answer: FromNluThread) => this.#settle(answer));
    worker.on('error', (error) => this.#stop(`it failed: ${error.message}`));
    worker.on('exit', (code) => this.#stop(`it exited with code ${code}`));
    this.#worker = worker;
    options.onThread?.(worker);
  }

  get threaded(): boolean {
    return !this.#stopped;
  }

  get understoodOnThread(): number {
    return this.#understood;
  }

  async train(data: TrainingData, signal?: AbortSignal): Promise<NluModel> {
    signal?.throwIfAborted();
    const model = new ThreadModel(this, this.#nextModel++, data.entities, this.#local.train(data, signal));
    // registered at once: a training aborted or refused here leaves nothing behind on the thread either
    this.#drops.register(model, model.id);
    // a model the thread could not train (nor be sent) is understood here; one refused here is refused
    const toThread = this.request<boolean>({ type: 'train', model: model.id, data }, signal, () =>
      Promise.resolve(false),
    ).catch(() => false);
    const [onThread] = await Promise.all([toThread, model.local]);
    signal?.throwIfAborted();
    model.onThread = onThread;
    return model;
  }

  /** Whether sentences go to the thread now: the serving thread's event loop was busy lately. */
  offloading(): boolean {
    if (this.#stopped) return false;
    if (this.#offloadAbove <= 0) return true;
    const now = performance.now();
    if (now - this.#load.at >= LOAD_WINDOW_MS) {
      const since = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(since, this.#load.since);
      this.#load = {
        since,
        at: now,
        busy: utilization >= this.#offloadAbove,
      };
    }
    return this.#load.busy;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#stop(undefined);
    await worker?.terminate();
  }

  /**
   * Sends a request and resolves with what its answer holds (`true` for a trained model); `local` answers
   * on this thread instead, when the thread is gone or cannot take the request's data.
   */
  request<T>(body: RequestBody, signal: AbortSignal | undefined, local: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#stopped) return local();
    const id = this.#nextId++;
    const message: ToNluThread = { ...body, id };
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        if (signal) reject(abortError(signal));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.#waiting.set(id, {
        settle: (answer) => {
          done();
          if ('error' in answer) reject(errorOf(answer.error));
          else resolve(('understanding' in answer ? answer.understanding : true) as T);
        },
        fallBack: () => {
          done();
          local().then(resolve, reject);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.#worker?.postMessage(message);
      } catch {
        // data the thread cannot be sent (a value structured cloning refuses): this request is served here
        this.#waiting.delete(id);
        done();
        local().then(resolve, reject);
      }
    });
  }

  #post(message: ToNluThread): void {
    if (!this.#stopped) this.#worker?.postMessage(message);
  }

  #settle(answer: FromNluThread): void {
    const waiting = this.#waiting.get(answer.id);
    if (waiting === undefined) return; // aborted meanwhile
    this.#waiting.delete(answer.id);
    if ('understanding' in answer) this.#understood++;
    waiting.settle(answer);
  }

  /** No more requests to the thread; those waiting are answered here. `reason` is logged unless it was closed. */
  #stop(reason: string | undefined): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#worker = undefined;
    if (reason !== undefined)
      this.#options.logger?.warn(
        { reason },
        `the NLU thread stopped (${reason}); sentences are understood on the serving thread from now on`,
      );
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiting) w.fallBack();
  }
}

/** A model trained on both threads (on the serving thread alone when its data could not be sent). */
class ThreadModel implements NluModel {
  /** Whether the NLU thread has it. */
  onThread = false;

  constructor(
    private readonly engine: ThreadedNlu,
    readonly id: number,
    private readonly entities: TrainingData['entities'],
    readonly local: Promise<NluModel>,
  ) {}

  understand(text: string, ctx: UnderstandContext): Promise<Understanding> {
    const here = async () => (await this.local).understand(text, ctx);
    if (!this.onThread || !this.engine.offloading()) return here();
    const body = {
      type: 'understand',
      model: this.id,
      text,
      expect: this.#sent(ctx.expect),
      nowMs: ctx.now.getTime(),
    } as const;
    return this.engine.request<Understanding>(body, ctx.signal, here);
  }

  /** One of the model's own entities goes by its name: the thread has its definition. */
  #sent(expect: UnderstandContext['expect']): SentExpectation {
    if (expect.kind !== 'entity' || this.entities[expect.entity.name] !== expect.entity) return expect;
    return { kind: 'entity', name: expect.entity.name };
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

function errorOf(error: { message: string; code?: string }): Error {
  const code = error.code;
  return code !== undefined && code in errorCodes
    ? new ParleyError(code as ErrorCode, error.message)
    : new Error(error.message);
}
