import { readFileSync } from 'node:fs';

export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time the server process spent per successful request over the measurement window (user + system),
   * when its pid was given: what a request costs, far less sensitive to a busy machine than throughput.
   */
  serverCpuUsPerRequest?: number;
}

/** CPU seconds a process has used so far (user + system), from /proc; undefined where there is none. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Reads the server's CPU clock when the measurement window opens and again when asked. */
function cpuWindow(pid: number | undefined, warmupMs: number): () => number | undefined {
  if (pid === undefined) return () => undefined;
  let start: number | undefined;
  const timer = setTimeout(() => (start = cpuSeconds(pid)), warmupMs);
  return () => {
    clearTimeout(timer);
    const end = cpuSeconds(pid);
    return start === undefined || end === undefined ? undefined : end - start;
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The raw figures of one measurement window, to be summarized alone or with others (`summarize`). */
export interface LoadSample {
  latencies: number[];
  errors: number;
  durationMs: number;
  /** The server's CPU seconds over the window, when its pid was given and /proc could be read. */
  serverCpuSeconds?: number;
}

/**
 * Runs `workers` loops in parallel for `durationMs` (after `warmupMs`), each calling `task(worker)` in turn,
 * and measures every call's latency. Bounded in time by construction.
 */
export async function runLoad(workers: number, durationMs: number, task: (worker: number) => Promise<boolean>, warmupMs = 1000, serverPid?: number): Promise<LoadResult> {
  return summarize([await sampleLoad(workers, durationMs, task, warmupMs, serverPid)]);
}

async function sampleLoad(workers: number, durationMs: number, task: (worker: number) => Promise<boolean>, warmupMs: number, serverPid?: number): Promise<LoadSample> {
  const latencies: number[] = [];
  const cpu = cpuWindow(serverPid, warmupMs);
  let errors = 0;
  const warmEnd = performance.now() + warmupMs;
  const end = warmEnd + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        let ok = false;
        try {
          ok = await task(w);
        } catch {
          ok = false;
        }
        if (t0 >= warmEnd) {
          if (ok) latencies.push(performance.now() - t0);
          else errors++;
        }
      }
    }),
  );
  const serverCpuSeconds = cpu();
  return { latencies, errors, durationMs, ...(serverCpuSeconds === undefined ? {} : { serverCpuSeconds }) };
}

/** A closed-loop load on one server: its clients' task, and the server's pid for its CPU time. */
export interface LoadTarget {
  task: (worker: number) => Promise<boolean>;
  serverPid?: number;
}

/**
 * Closed loops on several servers, taken in turn: `rounds` rounds, each a window of `durationMs / rounds`
 * per target, so a host whose speed drifts during the run (a shared machine) slows every target alike and
 * the ratio between them holds. Returns each target's figures over all its windows, and the throughput of
 * every window (one row per target, one column per round).
 *
 * Each window starts with `warmupMs` unmeasured, the first of each target with `firstWarmupMs`: that one
 * warms the server up (JIT, caches, heap). With 1 s, the IVR server's first round still came out at 20–26%
 * of the bare route in seven runs, its later rounds at 24–47%; after 4 s, the first round is like the others.
 */
export async function runAlternating(
  targets: LoadTarget[],
  workers: number,
  durationMs: number,
  rounds = 4,
  warmupMs = 500,
  firstWarmupMs = 4000,
): Promise<{ results: LoadResult[]; perRound: number[][] }> {
  const samples: LoadSample[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries()) {
      samples[i]!.push(await sampleLoad(workers, durationMs / rounds, target.task, round === 0 ? firstWarmupMs : warmupMs, target.serverPid));
    }
  }
  return {
    results: samples.map((s) => summarize(s)),
    perRound: samples.map((s) => s.map((w) => w.latencies.length / (w.durationMs / 1000))),
  };
}

/** A server's figures next to its baseline's: closed loops taken in turn, then the server paced at half. */
export interface AgainstBaseline {
  bare: LoadResult;
  parley: LoadResult;
  /** Parley's throughput over the baseline's, round by round. */
  ratios: number[];
  /** The floor's closed loop, and its throughput over the baseline's, round by round. */
  floor: LoadResult & { ratios: number[] };
  paced: LoadResult & { offeredPerSecond: number };
  /**
   * The baseline paced at the same offered rate: the latency of this host, its kernel and the load
   * generator with next to nothing behind the route, the floor under the paced figures of the server.
   */
  barePaced: LoadResult & { offeredPerSecond: number };
  /** The floor paced at the same offered rate: the latency of a turn understood and persisted, nothing else. */
  floorPaced: LoadResult & { offeredPerSecond: number };
}

/** The servers an HTTP benchmark measures: the baseline, Parley, and the floor (understanding and persisting the turn, nothing else). */
export interface BenchTargets {
  bare: LoadTarget;
  parley: LoadTarget;
  floor: LoadTarget;
}

/**
 * The HTTP benchmarks' measurement: the baseline's, Parley's and the floor's closed loops in alternating
 * windows (`runAlternating`), then Parley's clients paced to offer half the throughput it reached
 * (`runPaced`), the latency people see below saturation, and the baseline paced at the same rate.
 * `pacedTask` drives Parley's paced clients (by default `parley.task`).
 */
export async function runAgainstBaseline(
  { bare, parley, floor }: BenchTargets,
  workers: number,
  durationMs: number,
  pacedTask: (worker: number) => Promise<boolean> = parley.task,
): Promise<AgainstBaseline> {
  const closed = await runAlternating([bare, parley, floor], workers, durationMs);
  const [bareResult, parleyResult, floorResult] = closed.results as [LoadResult, LoadResult, LoadResult];
  const [bareRounds = [], parleyRounds = [], floorRounds = []] = closed.perRound;
  const overBare = (rounds: number[]): number[] => rounds.map((v, i) => v / (bareRounds[i] ?? Number.NaN));
  const offered = Math.max(1, parleyResult.perSecond / 2);
  const paced = await runPaced(workers, pacedTask, offered, durationMs, 1000, parley.serverPid);
  const barePaced = await runPaced(workers, bare.task, offered, durationMs / 2, 1000, bare.serverPid);
  const floorPaced = await runPaced(workers, floor.task, offered, durationMs / 2, 1000, floor.serverPid);
  return {
    bare: bareResult,
    parley: parleyResult,
    ratios: overBare(parleyRounds),
    floor: { ...floorResult, ratios: overBare(floorRounds) },
    paced,
    barePaced,
    floorPaced,
  };
}

/** Throughput, latency percentiles and server CPU per request of the successful calls of some windows. */
function summarize(samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const durationMs = samples.reduce((n, s) => n + s.durationMs, 0);
  const cpu = samples.every((s) => s.serverCpuSeconds !== undefined) ? samples.reduce((n, s) => n + (s.serverCpuSeconds ?? 0), 0) : undefined;
  return {
    ...(cpu !== undefined && latencies.length > 0 ? { serverCpuUsPerRequest: (cpu * 1e6) / latencies.length } : {}),
    requests: latencies.length,
    errors,
    durationMs,
    perSecond: latencies.length / (durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export function formatRow(name: string, r: LoadResult): string {
  return `${name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(8)}/s   p50 ${r.p50Ms.toFixed(2).padStart(7)} ms   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   errors ${r.errors}${r.serverCpuUsPerRequest === undefined ? '' : `   server CPU ${r.serverCpuUsPerRequest.toFixed(0)} µs/request`}`;
}

/**
 * `workers` clients, each pausing after an answer as a person does, so that together they offer `perSecond`
 * requests: the latency people see at that load, rather than at saturation. In a closed loop with no pause,
 * latency is only the number of clients over the throughput (Little's law).
 */
export async function runPaced(
  workers: number,
  task: (worker: number) => Promise<boolean>,
  perSecond: number,
  durationMs: number,
  warmupMs = 1000,
  serverPid?: number,
): Promise<LoadResult & { offeredPerSecond: number }> {
  const periodMs = (workers / perSecond) * 1000;
  const cpu = cpuWindow(serverPid, warmupMs);
  const latencies: number[] = [];
  let errors = 0;
  const warmEnd = performance.now() + warmupMs;
  const end = warmEnd + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      // Clients start spread over one period, as independent people would.
      await new Promise((r) => setTimeout(r, (w / workers) * periodMs));
      let due = performance.now();
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await task(w).catch(() => false);
        if (t0 >= warmEnd) {
          if (ok) latencies.push(performance.now() - t0);
          else errors++;
        }
        due += periodMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }),
  );
  const serverCpuSeconds = cpu();
  return { ...summarize([{ latencies, errors, durationMs, ...(serverCpuSeconds === undefined ? {} : { serverCpuSeconds }) }]), offeredPerSecond: perSecond };
}

/** The floor's line: its throughput over the baseline's, and Parley's over the floor's with both CPU costs per turn. */
export function floorLine(bare: LoadResult, floor: LoadResult & { ratios: number[] }, parley: LoadResult): string {
  const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
  const cpu = (r: LoadResult): string => (r.serverCpuUsPerRequest === undefined ? '?' : r.serverCpuUsPerRequest.toFixed(0));
  return (
    `Floor / bare throughput: ${pct(floor.perSecond / bare.perSecond)} (by round ${floor.ratios.map(pct).join(', ')}): understanding and persisting a turn, nothing else; ` +
    `Parley / floor: ${pct(parley.perSecond / floor.perSecond)} (server CPU per turn ${cpu(parley)} against ${cpu(floor)} µs)`
  );
}
