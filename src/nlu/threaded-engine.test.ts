import type { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../bot/load.ts';
import type { Expectation } from '../core/action.ts';
import type { Bot } from '../core/bot.ts';
import { demoBotsDir } from '../apps/server/config.ts';
import { createBuiltinNlu } from './builtin-engine.ts';
import { createThreadedNlu, type ThreadedNluEngine } from './threaded-engine.ts';
import type { NluModel, TrainingData } from './port.ts';
import { WARM_UP_UTTERANCES } from './warm-up.ts';

const now = new Date('2026-11-20T10:00:00Z');
let bank: Bot;
let training: TrainingData;
const engines: ThreadedNluEngine[] = [];

/** An engine that logs its warnings into `warnings`; `offloadAbove: 0` sends every sentence to the thread. */
function threaded(
  options: { onThread?: (w: Worker) => void; offloadAbove?: number } = {},
  warnings: string[] = [],
): ThreadedNluEngine {
  const engine = createThreadedNlu({
    logger: { warn: (_fields, message) => warnings.push(message) },
    ...options,
  });
  engines.push(engine);
  return engine;
}

beforeAll(async () => {
  bank = await loadBotFolder(`${demoBotsDir}/bank`);
  training = { language: bank.language, intents: bank.intents, entities: bank.entities };
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('built-in NLU on its own thread', () => {
  it('understands every sentence exactly as the built-in engine on the serving thread, unasked and asked for each entity', async () => {
    const here = await createBuiltinNlu().train(training);
    const engine = threaded({ offloadAbove: 0 });
    const there = await engine.train(training);
    const texts = [
      ...bank.intents.flatMap((i) => i.utterances),
      ...WARM_UP_UTTERANCES,
      'pay 40 dollars next friday',
      'no',
      'my pin is 1234',
    ];
    const asked: Expectation[] = [
      { kind: 'intent' },
      { kind: 'confirm' },
      // the model's own entities (sent by name) and copies of them (sent whole)
      ...Object.values(bank.entities).map((entity) => ({ kind: 'entity' as const, entity })),
      ...Object.values(bank.entities).map((entity) => ({ kind: 'entity' as const, entity: { ...entity } })),
    ];
    let compared = 0;
    for (const expectation of asked) {
      const ctx = { expect: expectation, now };
      const [a, b] = await Promise.all([
        Promise.all(texts.map((t) => here.understand(t, ctx))),
        Promise.all(texts.map((t) => there.understand(t, ctx))),
      ]);
      expect(b).toStrictEqual(a);
      compared += a.length;
    }
    expect(compared).toBeGreaterThan(400);
    expect(engine.understoodOnThread).toBe(compared);
  });

  it('keeps the models of several bots apart', async () => {
    const engine = threaded({ offloadAbove: 0 });
    const onlyHours: TrainingData = {
      ...training,
      intents: training.intents.filter((i) => i.name === 'opening_hours' || i.name === 'talk_to_agent'),
    };
    const [full, small] = await Promise.all([engine.train(training), engine.train(onlyHours)]);
    const ctx = { expect: { kind: 'intent' } as const, now };
    const [a, b] = await Promise.all([
      full.understand('I lost my card', ctx),
      small.understand('I lost my card', ctx),
    ]);
    expect(a.intents[0]?.name).toBe('report_lost_card');
    expect(b.intents.map((i) => i.name)).not.toContain('report_lost_card');
  });

  it('refuses a request whose signal is aborted, before or while it waits, and goes on serving', async () => {
    const model = await threaded({ offloadAbove: 0 }).train(training);
    const ctx = { expect: { kind: 'intent' } as const, now };
    await expect(
      model.understand('what time do you close', { ...ctx, signal: AbortSignal.abort() }),
    ).rejects.toThrow(/abort/i);
    const controller = new AbortController();
    const waiting = model.understand('what time do you close', { ...ctx, signal: controller.signal });
    controller.abort(new Error('the caller hung up'));
    await expect(waiting).rejects.toThrow('the caller hung up');
    expect((await model.understand('what time do you close', ctx)).intents[0]?.name).toBe('opening_hours');
  });

  it('answers the requests waiting for a thread that stops, and every later one, on the serving thread', async () => {
    let worker: Worker | undefined;
    const warnings: string[] = [];
    const engine = threaded({ onThread: (w) => (worker = w), offloadAbove: 0 }, warnings);
    const model = await engine.train(training);
    const expected = await (
      await createBuiltinNlu().train(training)
    ).understand('I want to pay 50 dollars tomorrow', { expect: { kind: 'intent' }, now });
    const ctx = { expect: { kind: 'intent' } as const, now };
    const waiting = Array.from({ length: 5 }, () =>
      model.understand('I want to pay 50 dollars tomorrow', ctx),
    );
    await worker?.terminate();
    for (const answer of await Promise.all(waiting)) expect(answer).toStrictEqual(expected);
    expect(engine.threaded).toBe(false);
    expect(await model.understand('I want to pay 50 dollars tomorrow', ctx)).toStrictEqual(expected);
    expect(warnings).toEqual([expect.stringContaining('the NLU thread stopped (it exited with code 1)')]);
    // a bot loaded afterwards is trained here
    expect((await (await engine.train(training)).understand('talk to an agent', ctx)).intents[0]?.name).toBe(
      'talk_to_agent',
    );
  });

  it('understands on the serving thread while its event loop is idle, and on the NLU thread once it is busy', async () => {
    const engine = threaded();
    const model = await engine.train(training);
    const ctx = { expect: { kind: 'intent' } as const, now };
    await model.understand('what time do you close', ctx); // the measuring window starts here, after the training
    const before = engine.understoodOnThread;
    await new Promise((resolve) => setTimeout(resolve, 150)); // an idle loop
    expect((await model.understand('what time do you close', ctx)).intents[0]?.name).toBe('opening_hours');
    expect(engine.understoodOnThread).toBe(before);
    const busyUntil = performance.now() + 150; // a loop busy for longer than the measuring window
    while (performance.now() < busyUntil);
    expect((await model.understand('what time do you close', ctx)).intents[0]?.name).toBe('opening_hours');
    expect(engine.understoodOnThread).toBe(before + 1);
  });

  it('refuses training data the built-in engine refuses, with the same error', async () => {
    const broken: TrainingData = {
      ...training,
      entities: {
        ...training.entities,
        code: { name: 'code', type: 'regex', sensitive: false, pattern: '([a-z' } as never,
      },
    };
    const here = await createBuiltinNlu()
      .train(broken)
      .then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
    expect(here?.message).toBeTruthy();
    const there = await threaded()
      .train(broken)
      .then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
    expect(there?.message).toBe(here?.message);
    expect(there?.code).toBe(here?.code);
  });

  it('trains on the serving thread a model whose data cannot be sent to the thread', async () => {
    const engine = threaded();
    const odd = { ...training, note: () => 'not data' } as TrainingData;
    const model: NluModel = await engine.train(odd);
    expect(
      (await model.understand('what are your opening hours', { expect: { kind: 'intent' }, now })).intents[0]
        ?.name,
    ).toBe('opening_hours');
    expect(engine.threaded).toBe(true);
    expect(engine.understoodOnThread).toBe(0);
  });

  it('serves on the serving thread once closed, without a warning', async () => {
    const warnings: string[] = [];
    const engine = threaded({ offloadAbove: 0 }, warnings);
    const model = await engine.train(training);
    await engine.close();
    expect(engine.threaded).toBe(false);
    expect(
      (await model.understand('talk to an agent', { expect: { kind: 'intent' }, now })).intents[0]?.name,
    ).toBe('talk_to_agent');
    expect(warnings).toEqual([]);
  });
});
