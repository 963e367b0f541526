import Fastify from 'fastify';
import { benchVxmlDocument as doc } from './vxml-doc.ts';

/**
 * The baseline of the IVR webhook benchmark: a bare fastify route that reads a form-urlencoded body, as a
 * VoiceXML browser posts it, and answers a fixed VoiceXML document of the size Parley's are. Nothing else.
 */
const app = Fastify();
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});
app.route({
  method: ['GET', 'POST'],
  url: '/ivr/hooks/:botId',
  handler: (_req, reply) => reply.type('application/voicexml+xml; charset=utf-8').send(doc),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`URL http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
