import Fastify from 'fastify';

/** The baseline: a bare fastify route that parses a JSON body and answers JSON, nothing else. */
const app = Fastify();
app.post('/echo/:id', async (req) => ({ id: (req.params as { id: string }).id, messages: [{ text: String((req.body as { text?: string }).text) }], ended: false }));
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`URL http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
