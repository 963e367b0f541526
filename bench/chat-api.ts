import { startChild } from './support/child.ts';
import { formatRow, httpCall, runLoad, type LoadResult } from './support/load.ts';

/**
 * Chat API turns at 50 concurrent conversations, each turn understood, stepped and persisted, next to a
 * bare fastify route measured in the same run. Target: ≥ 40% of the bare route's throughput, p99 < 10 ms.
 */
export async function benchChatApi(durationMs = 8000): Promise<{ parley: LoadResult; bare: LoadResult }> {
  const concurrency = 50;
  const bare = await startChild('./bare-fastify.ts');
  const bareResult = await runLoad(concurrency, durationMs, async (w) => (await httpCall(`${bare.url}/echo/${w}`, 'POST', { text: 'what are your opening hours' })).status === 200);
  await bare.stop();

  const parley = await startChild('./parley-server.ts');
  const auth = { authorization: 'Bearer bench' };
  const ids = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const r = await httpCall(`${parley.url}/api/bots/bank/conversations`, 'POST', { channel: 'chat' }, auth);
      return (JSON.parse(r.body) as { id: string }).id;
    }),
  );
  const questions = ['what are your opening hours', 'when are you open on saturday', 'what time do you close'];
  let n = 0;
  const parleyResult = await runLoad(concurrency, durationMs, async (w) => {
    const r = await httpCall(`${parley.url}/api/conversations/${ids[w]}/messages`, 'POST', { text: questions[n++ % questions.length] }, auth);
    return r.status === 200;
  });
  await parley.stop();

  console.log(`\nChat API, ${concurrency} concurrent conversations, every turn persisted (SQLite)`);
  console.log(formatRow('bare fastify route (baseline)', bareResult));
  console.log(formatRow('Parley chat turn', parleyResult));
  const ratio = parleyResult.perSecond / bareResult.perSecond;
  console.log(`Parley / bare throughput: ${(ratio * 100).toFixed(1)}% (target ≥ 40%); p99 ${parleyResult.p99Ms.toFixed(2)} ms (target < 10 ms)`);
  return { parley: parleyResult, bare: bareResult };
}
