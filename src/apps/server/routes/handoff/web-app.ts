import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { webBuild } from '../../../web/build.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The agent desktop (`/agent`) and the supervisor view (`/supervisor`): one React app, built on the first
 * request after its sources changed (see `src/apps/web/build.ts`), its hashed assets under `/web/`.
 */
export function webAppRoutes(app: FastifyInstance): void {
  const index = async (_req: unknown, reply: FastifyReply) => {
    const built = await webBuild();
    const file = built.files.get('index.html');
    if (!file) throw new Error('the web app build has no index.html');
    return reply.type(types['.html'] as string).header('cache-control', 'no-cache').send(await readFile(file));
  };
  app.get('/agent', { schema: { hide: true } }, index);
  app.get('/supervisor', { schema: { hide: true } }, index);
  app.get<{ Params: { '*': string } }>('/web/*', { schema: { hide: true } }, async (req, reply) => {
    const built = await webBuild();
    const file = built.files.get(req.params['*']);
    if (!file) return reply.status(404).send({ error: { code: 'PARLEY_ERR_NOT_FOUND', message: `no file /web/${req.params['*']}`, hint: 'reload the page' } });
    return reply
      .type(types[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', req.params['*'].startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(await readFile(file));
  });
}
