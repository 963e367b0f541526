import { serveNodeFlags, startChild } from './support/child.ts';
import { httpCall } from './support/http-client.ts';
import { floorLine, formatRow, runAgainstBaseline, type AgainstBaseline, type LoadResult } from './support/load.ts';

/**
 * Chat API turns at 50 concurrent conversations, each turn understood, stepped and persisted, next to a
 * bare fastify route measured in the same run. Target: ≥ 40% of the bare route's throughput, p99 < 10 ms.
 *
 * - throughput: the 50 conversations in a closed loop (each sends its next message as soon as the answer
 *   comes back), in windows taken in turn with the bare route's (`runAlternating`: this machine's speed
 *   drifts by a third from one minute to the next, and both are measured through the same drift);
 * - latency: the same 50 conversations paced as customers type (a pause between an answer and the next
 *   message), offering half the throughput measured above. In the closed loop every answer waits for the 49
 *   turns queued before it, so its latency is 50 / throughput whatever a turn costs (Little's law); that
 *   figure is printed too, with the bare route's, which is bound by the same law.
 * - the floor under that latency: the bare route paced at the same rate, with the same clients (the host,
 *   its kernel and the load generator, next to nothing behind the route);
 * - the floor under a turn's cost (`support/turn-floor.ts`): the bare route that also understands the words
 *   with the built-in NLU and persists the turn, nothing else, in the same rounds as the other two. Parley
 *   over it shows what Parley's own runtime costs on top; it over the bare route is as far as a turn
 *   understood by this NLU and persisted can get on this machine. It is paced at the same rate as well: the
 *   latency of such a turn, beside Parley's.
 */
export interface ChatApiFigures {
  bare: LoadResult;
  parley: LoadResult;
  floor: LoadResult;
  paced: LoadResult & { offeredPerSecond: number };
}

export async function benchChatApi(durationMs = 8000): Promise<ChatApiFigures> {
  const concurrency = 50;
  const bare = await startChild('./bare-fastify.ts');
  const parley = await startChild('./parley-server.ts', {}, serveNodeFlags());
  const floor = await startChild('./turn-floor.ts', {}, serveNodeFlags());
  let figures: AgainstBaseline;
  try {
    const auth = { authorization: 'Bearer bench' };
    const ids = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const r = await httpCall(`${parley.url}/api/bots/bank/conversations`, 'POST', { channel: 'chat' }, auth);
        return (JSON.parse(r.body) as { id: string }).id;
      }),
    );
    const questions = ['what are your opening hours', 'when are you open on saturday', 'what time do you close'];
    let n = 0;
    const turn = async (w: number) => (await httpCall(`${parley.url}/api/conversations/${ids[w]}/messages`, 'POST', { text: questions[n++ % questions.length] }, auth)).status === 200;
    const echo = async (w: number) => (await httpCall(`${bare.url}/echo/${w}`, 'POST', { text: 'what are your opening hours' })).status === 200;
    const floorTurn = async (w: number) => (await httpCall(`${floor.url}/echo/${w}`, 'POST', { text: questions[n++ % questions.length] })).status === 200;
    figures = await runAgainstBaseline(
      { bare: { task: echo, serverPid: bare.child.pid }, parley: { task: turn, serverPid: parley.child.pid }, floor: { task: floorTurn, serverPid: floor.child.pid } },
      concurrency,
      durationMs,
    );
  } finally {
    await Promise.all([bare.stop(), parley.stop(), floor.stop()]);
  }
  const { bare: bareResult, parley: parleyResult, ratios, floor: floorResult, paced: pacedResult, barePaced, floorPaced } = figures;

  console.log(`\nChat API, ${concurrency} concurrent conversations, every turn persisted (SQLite)`);
  console.log(formatRow('bare fastify route (baseline)', bareResult));
  console.log(formatRow('Parley chat turn, closed loop', parleyResult));
  console.log(formatRow('floor: bare + NLU + persist', floorResult));
  console.log(formatRow(`Parley, paced at ${pacedResult.offeredPerSecond.toFixed(0)}/s offered`, pacedResult));
  console.log(formatRow(`bare route, paced at the same rate`, barePaced));
  console.log(formatRow(`floor, paced at the same rate`, floorPaced));
  const ratio = parleyResult.perSecond / bareResult.perSecond;
  console.log(
    `Parley / bare throughput: ${(ratio * 100).toFixed(1)}% (target ≥ 40%; by round ${ratios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}); p99 ${pacedResult.p99Ms.toFixed(2)} ms at half capacity (target < 10 ms; the bare route's at that rate ${barePaced.p99Ms.toFixed(2)} ms), ` +
      `${parleyResult.p99Ms.toFixed(2)} ms saturated (bare route saturated: ${bareResult.p99Ms.toFixed(2)} ms)`,
  );
  console.log(floorLine(bareResult, floorResult, parleyResult));
  return { bare: bareResult, parley: parleyResult, floor: floorResult, paced: pacedResult };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await benchChatApi(Number(process.argv[2] ?? process.env.PARLEY_BENCH_SECONDS ?? 8) * 1000);
}
