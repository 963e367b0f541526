import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { lazyRequestLogger } from './request-logger.ts';

/** A Fastify app whose logger writes its lines here, with the lazy request logger or with Fastify's own. */
async function appWithLines(level: string, lazy: boolean) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level, destination });
  let childrenMade = 0;
  const realChild = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof realChild>) => {
    childrenMade++;
    return realChild(...args);
  }) as typeof logger.child;
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ...(lazy ? { childLoggerFactory: lazyRequestLogger } : {}),
  });
  app.post('/say', async (req) => {
    req.log.info({ text: (req.body as { text: string }).text, botId: 'bank' }, 'customer said');
    req.log.debug('not at this level');
    return { ok: true };
  });
  app.post('/quiet', { logLevel: 'warn' }, async (req) => {
    req.log.info('below the route level');
    return { ok: true };
  });
  app.get('/silent', async () => ({ ok: true }));
  app.post('/nested', async (req) => {
    req.log.child({ step: 'nlu' }).warn('slow');
    return { ok: true };
  });
  await app.ready();
  const before = childrenMade;
  return { app, logger, lines, childrenMade: () => childrenMade - before };
}

describe('lazy request logger', () => {
  it('writes the same lines as Fastify’s own child: request id, fields, personal data redacted', async () => {
    const outputs = [];
    for (const lazy of [false, true]) {
      const { app, lines } = await appWithLines('info', lazy);
      await app.inject({ method: 'POST', url: '/say', payload: { text: 'my card number is 4111' } });
      await app.close();
      outputs.push(lines.map(({ time: _t, pid: _p, hostname: _h, ...rest }) => rest));
    }
    const [own, lazy] = outputs;
    expect(lazy).toEqual(own);
    expect(lazy).toEqual([expect.objectContaining({ level: 30, reqId: 'req-1', botId: 'bank', text: '[redacted]', msg: 'customer said' })]);
  });

  it('makes no child for a request that logs nothing at an enabled level, and honours a route’s level', async () => {
    const { app, lines, childrenMade } = await appWithLines('info', true);
    await app.inject({ method: 'GET', url: '/silent' });
    await app.inject({ method: 'POST', url: '/quiet', payload: {} });
    expect(childrenMade()).toBe(0);
    expect(lines).toEqual([]);
    await app.inject({ method: 'POST', url: '/say', payload: { text: 'hello' } });
    expect(childrenMade()).toBe(1);
    expect(lines).toHaveLength(1);
    await app.close();
  });

  it('follows a change of the server logger’s level as Fastify’s own does, and makes children as it does', async () => {
    const outputs = [];
    for (const lazy of [false, true]) {
      const { app, logger, lines } = await appWithLines('warn', lazy);
      await app.inject({ method: 'POST', url: '/say', payload: { text: 'hello' } });
      logger.level = 'debug';
      await app.inject({ method: 'POST', url: '/say', payload: { text: 'hello' } });
      await app.inject({ method: 'POST', url: '/nested', payload: {} });
      await app.close();
      outputs.push(lines.map(({ time: _t, pid: _p, hostname: _h, ...rest }) => rest));
    }
    const [own, lazy] = outputs;
    expect(lazy).toEqual(own);
    expect(lazy?.map((l) => l.msg)).toEqual(['customer said', 'not at this level', 'slow']);
    expect(lazy?.at(-1)).toEqual(expect.objectContaining({ step: 'nlu', msg: 'slow' }));
  });
});
