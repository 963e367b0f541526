import { serveNodeFlags, startChild } from './support/child.ts';
import { httpCall } from './support/http-client.ts';
import { floorLine, formatRow, runAgainstBaseline, type AgainstBaseline, type LoadResult } from './support/load.ts';

/**
 * The IVR webhook under 200 concurrent simulated IVR calls, next to a bare fastify route (form body in,
 * VoiceXML out) measured in the same run. Each call is what a VoiceXML browser does: the subdialog's opening
 * POST, four spoken answers submitted to the session URL of the last document, then the hang-up event; every
 * turn is authenticated (JWT), understood, stepped, persisted (SQLite) and rendered as VoiceXML.
 *
 * - throughput: the calls in a closed loop (each call sends its next request as soon as the document comes
 *   back), in windows taken in turn with the bare route's (`runAlternating`, so that both are measured
 *   through the same drift of a shared machine's speed); target ≥ 30% of the bare route's turns per second;
 * - latency: the same 200 calls paced as callers are (a pause between a document and the next request), at
 *   half the throughput measured above; target p99 < 15 ms. The saturated latencies are printed too, and the
 *   bare route paced at the same rate: the floor the host and the load generator put under that latency;
 * - the floor under a turn's cost (`support/turn-floor.ts`): the bare route that also understands the answer
 *   with the built-in NLU and persists the turn, nothing else, in the same rounds, and paced at the same rate.
 *
 * Run alone: `node --import ./bin/typescript.js bench/ivr-webhook.ts [seconds]`.
 */
export interface IvrWebhookFigures {
  bare: LoadResult;
  parley: LoadResult;
  floor: LoadResult;
  paced: LoadResult & { offeredPerSecond: number };
}

const calls = 200;
const questions = ['what are your opening hours', 'when are you open', 'what time do you close', 'are you open on saturday'];
const turnsPerCall = 4;

function nextUrl(base: string, vxml: string): string | undefined {
  const m = /<submit next="([^"]+)"/.exec(vxml);
  return m?.[1] ? new URL(m[1].replaceAll('&amp;', '&'), base).toString() : undefined;
}

/** One simulated IVR call per worker: each task() sends the call's next request. */
function ivrCalls(url: string, token: string): (worker: number) => Promise<boolean> {
  const state = Array.from({ length: calls }, () => ({ next: undefined as string | undefined, turns: 0 }));
  return async (w) => {
    const call = state[w] as { next: string | undefined; turns: number };
    let body: string;
    let target: string;
    if (!call.next) {
      target = `${url}/ivr/hooks/bank?token=${token}`;
      body = new URLSearchParams({ message: '', from: `tel:+1555${String(w).padStart(7, '0')}`, to: 'bank' }).toString();
    } else if (call.turns >= turnsPerCall) {
      target = call.next;
      body = 'parley_event=hangup';
    } else {
      target = call.next;
      body = new URLSearchParams({ userinput: questions[call.turns % questions.length] ?? '', userinput_confidence: '0.9', userinput_inputmode: 'voice' }).toString();
    }
    const r = await httpCall(target, 'POST', body);
    if (r.status !== 200 || !r.body.includes('<vxml')) {
      call.next = undefined;
      return false;
    }
    if (body === 'parley_event=hangup') {
      call.next = undefined;
      call.turns = 0;
    } else {
      call.next = nextUrl(url, r.body);
      call.turns = target.includes('session=') ? call.turns + 1 : 0;
    }
    return true;
  };
}

/** The baseline's and the floor's task: worker w's caller answers one question, as the documents' submit sends it. */
function answerTo(url: string): (worker: number) => Promise<boolean> {
  return async (w) => {
    const body = new URLSearchParams({ userinput: questions[w % questions.length] ?? '', userinput_confidence: '0.9', userinput_inputmode: 'voice' }).toString();
    return (await httpCall(`${url}/ivr/hooks/bank?token=t&session=s${w}`, 'POST', body)).status === 200;
  };
}

export async function benchIvrWebhook(durationMs = 8000): Promise<IvrWebhookFigures> {
  const bare = await startChild('./bare-vxml.ts');
  const floor = await startChild('./turn-floor.ts', {}, serveNodeFlags());
  const parley = await startChild('./parley-server.ts', {}, serveNodeFlags());
  let figures: AgainstBaseline;
  try {
    const auth = { authorization: 'Bearer bench' };
    const app = JSON.parse((await httpCall(`${parley.url}/api/bots/bank/ivr/apps`, 'POST', { name: 'bench' }, auth)).body) as { clientId: string };
    const minted = await httpCall(`${parley.url}/api/bots/bank/ivr/apps/${app.clientId}/tokens`, 'POST', { ttlMs: 3600_000 }, auth);
    const { token } = JSON.parse(minted.body) as { token: string };
    // the paced calls are new ones (each call keeps its place in its dialogue)
    figures = await runAgainstBaseline(
      {
        bare: { task: answerTo(bare.url), serverPid: bare.child.pid },
        parley: { task: ivrCalls(parley.url, token), serverPid: parley.child.pid },
        floor: { task: answerTo(floor.url), serverPid: floor.child.pid },
      },
      calls,
      durationMs,
      ivrCalls(parley.url, token),
    );
  } finally {
    await Promise.all([bare.stop(), parley.stop(), floor.stop()]);
  }
  const { bare: bareResult, parley: parleyResult, ratios, floor: floorResult, paced: pacedResult, barePaced, floorPaced } = figures;

  console.log(`\nIVR webhook, ${calls} concurrent simulated IVR calls (JWT checked, turn understood, stepped, stored in SQLite, VoiceXML rendered)`);
  console.log(formatRow('bare fastify route (baseline)', bareResult));
  console.log(formatRow('Parley webhook turn, closed loop', parleyResult));
  console.log(formatRow('floor: bare + NLU + persist', floorResult));
  console.log(formatRow(`Parley, paced at ${pacedResult.offeredPerSecond.toFixed(0)}/s offered`, pacedResult));
  console.log(formatRow(`bare route, paced at the same rate`, barePaced));
  console.log(formatRow(`floor, paced at the same rate`, floorPaced));
  const ratio = parleyResult.perSecond / bareResult.perSecond;
  console.log(
    `Parley / bare throughput: ${(ratio * 100).toFixed(1)}% (target ≥ 30%; by round ${ratios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}); p99 ${pacedResult.p99Ms.toFixed(2)} ms at half capacity (target < 15 ms; the bare route's at that rate ${barePaced.p99Ms.toFixed(2)} ms), ` +
      `${parleyResult.p99Ms.toFixed(2)} ms saturated`,
  );
  console.log(floorLine(bareResult, floorResult, parleyResult));
  return { bare: bareResult, parley: parleyResult, floor: floorResult, paced: pacedResult };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await benchIvrWebhook(Number(process.argv[2] ?? process.env.PARLEY_BENCH_SECONDS ?? 8) * 1000);
}
