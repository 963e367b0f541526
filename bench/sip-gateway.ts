import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFlagsFor } from '../bin/node-flags.js';
import { benchNodeFlags, printed, typescriptLoader } from './support/child.ts';
import { cpuSeconds } from './support/load.ts';

/**
 * The SIP gateway under SIPp load (loopback only). Parley runs in its own process pinned to one core
 * (taskset -c 0, with the single-threaded garbage collector the `parley` command takes on one CPU); SIPp
 * and this process share the other. Each SIPp caller offers G.711 (PCMU) with telephone-event, hears the
 * greeting, keys a digit (RFC 2833, Debian's capture), hears the reply, holds, and hangs up. Parley's RTP goes to a sink here, which times every packet against the 20 ms clock of its
 * stream (RTP timestamps, anchored at the stream's earliest packet): a packet more than 20 ms behind is late.
 *
 * - set-up: calls offered at a fixed rate for 3 s; how many were set up per second, INVITE-to-200 time;
 * - concurrency: 100, 250, 500… calls held at once, measured over a window once all are up, while other
 *   calls keep coming and going (`churnPerSecond`, each set up, greeted, keyed, answered and hung up within
 *   about 3 s): late packets, p99 of the arrival deviation (the send clock as the callers hear it), the
 *   server's own p99 send-clock deviation over each active call's whole life (the ramp included), CPU (of one
 *   core) per call. 500 calls of three minutes would see about 3 arrivals a second; the default churn is 10.
 * Targets: 500 concurrent G.711 calls on one core, p99 clock deviation < 5 ms; ≥ 100 set-ups/s.
 * Run alone: `node --import ./bin/typescript.js bench/sip-gateway.ts`. For the server: PARLEY_BENCH_PROF=1 writes a CPU
 * profile to /tmp/prof, PARLEY_BENCH_GC=1 traces its garbage collections (young-generation pauses of a few
 * milliseconds show directly in the send clock's p99), PARLEY_BENCH_LOOP=1 prints its event-loop delay
 * every second (a busy machine or a long task shows there first), PARLEY_BENCH_NODE_FLAGS adds Node flags.
 */

export interface SipBenchOptions {
  /** Length of each concurrency measurement window; default 8 s. */
  windowMs?: number;
  setupRates?: number[];
  concurrency?: number[];
  /** Calls set up and torn down per second during each concurrency window; default 10. */
  churnPerSecond?: number;
}

export interface SetupResult {
  offeredPerSecond: number;
  calls: number;
  successful: number;
  failed: number;
  setUpPerSecond: number;
  meanInviteTo200Ms: number;
}

export interface ConcurrencyResult {
  calls: number;
  /** Streams heard in the window. */
  streams: number;
  packets: number;
  latePercent: number;
  p99ArrivalDeviationMs: number;
  serverSendClockP99Ms: { median: number; max: number };
  cpuPercentOfCore: number;
  cpuPercentPerCall: number;
  failedCalls: number;
  /** The calls that came and went during the window: offered per second, set up, failed. */
  churn: { perSecond: number; successful: number; failed: number };
}

export interface SipBenchResult {
  setup: SetupResult[];
  concurrency: ConcurrencyResult[];
  /** The most calls held with fewer than 1% late packets (and no failed call). */
  maxConcurrentCalls: number;
  /** The most calls held so, with the send clock's p99 as heard under the target's 5 ms too. */
  maxConcurrentCallsOnClock: number;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const canPin = existsSync('/usr/bin/taskset');
const pin = (core: number, command: string, args: string[]): [string, string[]] => (canPin ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]);

async function startServer(): Promise<{ child: ChildProcess; sipPort: number; url: string; stop(): Promise<void> }> {
  // Parley runs with the flags `parley serve` takes (bin/node-flags.js), on its one core those of one CPU.
  const serveFlags = nodeFlagsFor(canPin ? 1 : undefined, process.env, 'serve');
  const [cmd, args] = pin(0, process.execPath, [...serveFlags, ...benchNodeFlags(), '--import', typescriptLoader, here('./support/parley-sip-server.ts')]);
  const child = spawn(cmd, args, { cwd: here('..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const [sip = '', url = ''] = await printed(child, [/^SIP (\d+)$/m, /^URL (\S+)$/m], 'the SIP bench server');
  const sipPort = Number(sip);
  return {
    child,
    sipPort,
    url,
    stop: () =>
      new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Receives Parley's RTP and times each packet against its stream's clock. */
class RtpSink {
  readonly socket: Socket = createSocket('udp4');
  readonly #offsets = new Map<number, number>();
  #measuring = false;
  #packets = 0;
  #late = 0;
  readonly #streams = new Set<number>();
  readonly #histogram = new Uint32Array(2001); // 0.1 ms buckets to 200 ms

  async open(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.socket.on('message', (m: Buffer) => this.#packet(m, performance.now()));
    return this.socket.address().port;
  }

  #packet(m: Buffer, atMs: number): void {
    if (m.length < 12 || (m[1]! & 0x7f) !== 0) return;
    const ssrc = m.readUInt32BE(8);
    const offset = atMs - m.readUInt32BE(4) / 8; // PCMU: 8 RTP units per ms
    const best = this.#offsets.get(ssrc);
    if (best === undefined || offset < best) this.#offsets.set(ssrc, offset);
    if (!this.#measuring) return;
    const deviation = best === undefined ? 0 : Math.max(0, offset - best);
    this.#packets++;
    this.#streams.add(ssrc);
    if (deviation > 20) this.#late++;
    this.#histogram[Math.min(2000, Math.round(deviation * 10))]!++;
  }

  measure(on: boolean): void {
    if (on) {
      this.#packets = 0;
      this.#late = 0;
      this.#streams.clear();
      this.#histogram.fill(0);
    }
    this.#measuring = on;
  }

  result(): { packets: number; late: number; streams: number; p99Ms: number } {
    let seen = 0;
    let p99 = 0;
    for (let i = 0; i < this.#histogram.length; i++) {
      seen += this.#histogram[i]!;
      if (seen >= this.#packets * 0.99) {
        p99 = i / 10;
        break;
      }
    }
    return { packets: this.#packets, late: this.#late, streams: this.#streams.size, p99Ms: p99 };
  }

  forget(): void {
    this.#offsets.clear();
  }
}

interface SippStats {
  code: number | null;
  successful: number;
  failed: number;
  meanResponseMs: number;
}

async function runSipp(sipPort: number, sinkPort: number, args: string[], timeoutMs: number): Promise<SippStats> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-sipp-'));
  writeFileSync(join(dir, 'caller.xml'), readFileSync(here('./support/sip-load-caller.xml'), 'utf8').replaceAll('{{sinkPort}}', String(sinkPort)));
  const [cmd, pinned] = pin(1, 'sipp', ['-sf', 'caller.xml', '-s', 'bank', '-i', '127.0.0.1', '-p', '0', '-mp', '0', ...args, '-nostdin', '-trace_stat', '-fd', '1', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, `127.0.0.1:${sipPort}`]);
  const child = spawn(cmd, pinned, { cwd: dir, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const csv = readdirSync(dir).find((f) => f.endsWith('.csv'));
  const lines = csv ? readFileSync(join(dir, csv), 'utf8').trim().split('\n') : [];
  rmSync(dir, { recursive: true, force: true });
  const head = lines[0]?.split(';') ?? [];
  const last = lines[lines.length - 1]?.split(';') ?? [];
  const get = (name: string): string => last[head.indexOf(name)] ?? '0';
  const [h = 0, m = 0, s = 0, us = 0] = get('ResponseTime1(C)').split(':').map(Number);
  return { code, successful: Number(get('SuccessfulCall(C)')), failed: Number(get('FailedCall(C)')), meanResponseMs: (h * 3600 + m * 60 + s) * 1000 + us / 1000 };
}

async function activeSendClocks(url: string): Promise<number[]> {
  const res = await fetch(`${url}/api/calls`, { headers: { authorization: 'Bearer bench' } });
  const body = (await res.json()) as { active: Array<{ media?: { sendClock: { p99DeviationMs: number } } }> };
  return body.active.map((c) => c.media?.sendClock.p99DeviationMs ?? 0).sort((a, b) => a - b);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchSipGateway(options: SipBenchOptions = {}): Promise<SipBenchResult> {
  const windowMs = options.windowMs ?? 8000;
  const churnPerSecond = options.churnPerSecond ?? 10;
  const server = await startServer();
  const sink = new RtpSink();
  const sinkPort = await sink.open();
  const setup: SetupResult[] = [];
  const concurrency: ConcurrencyResult[] = [];
  try {
    // Warm up: the first call renders the prompts (then cached).
    await runSipp(server.sipPort, sinkPort, ['-m', '2', '-r', '2', '-d', '500'], 30_000);

    for (const rate of options.setupRates ?? [100, 200]) {
      const calls = rate * 3;
      const stats = await runSipp(server.sipPort, sinkPort, ['-r', String(rate), '-rp', '1000', '-m', String(calls), '-d', '500'], 60_000);
      setup.push({ offeredPerSecond: rate, calls, successful: stats.successful, failed: stats.failed, setUpPerSecond: Math.round(stats.successful / 3), meanInviteTo200Ms: stats.meanResponseMs });
      await sleep(1000);
    }

    for (const calls of options.concurrency ?? [100, 250, 500, 750, 1000]) {
      sink.forget();
      const rate = Math.min(100, calls);
      const rampMs = (calls / rate) * 1000;
      const holdMs = rampMs + windowMs + 4000;
      const sipp = runSipp(server.sipPort, sinkPort, ['-r', String(rate), '-rp', '1000', '-m', String(calls), '-l', String(calls), '-d', String(holdMs)], holdMs + 30_000);
      await sleep(rampMs + 2500);
      const churnCalls = Math.round((churnPerSecond * windowMs) / 1000);
      const churn =
        churnCalls > 0
          ? runSipp(server.sipPort, sinkPort, ['-r', String(churnPerSecond), '-rp', '1000', '-m', String(churnCalls), '-d', '1000'], windowMs + 30_000)
          : Promise.resolve({ code: 0, successful: 0, failed: 0, meanResponseMs: 0 });
      const cpu0 = cpuSeconds(server.child.pid!) ?? 0;
      const t0 = performance.now();
      sink.measure(true);
      await sleep(windowMs);
      sink.measure(false);
      const cpuPercent = (((cpuSeconds(server.child.pid!) ?? cpu0) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
      const clocks = await activeSendClocks(server.url);
      const stats = await sipp;
      const churned = await churn;
      const heard = sink.result();
      const row: ConcurrencyResult = {
        calls,
        streams: heard.streams,
        packets: heard.packets,
        latePercent: heard.packets ? (heard.late / heard.packets) * 100 : 100,
        p99ArrivalDeviationMs: heard.p99Ms,
        serverSendClockP99Ms: { median: clocks[Math.floor(clocks.length / 2)] ?? 0, max: clocks[clocks.length - 1] ?? 0 },
        cpuPercentOfCore: cpuPercent,
        cpuPercentPerCall: cpuPercent / calls,
        failedCalls: stats.failed + Math.max(0, calls - stats.successful - stats.failed),
        churn: { perSecond: churnPerSecond, successful: churned.successful, failed: churned.failed + Math.max(0, churnCalls - churned.successful - churned.failed) },
      };
      concurrency.push(row);
      if (!holds(row)) break;
      await sleep(2000);
    }
  } finally {
    sink.socket.close();
    await server.stop();
  }
  const passing = concurrency.filter(holds);
  const result: SipBenchResult = {
    setup,
    concurrency,
    maxConcurrentCalls: Math.max(0, ...passing.map((r) => r.calls)),
    maxConcurrentCallsOnClock: Math.max(0, ...passing.filter((r) => r.p99ArrivalDeviationMs < CLOCK_P99_TARGET_MS).map((r) => r.calls)),
  };
  print(result);
  return result;
}

/** The target's bound on the send clock's p99 deviation, as the callers hear it. */
const CLOCK_P99_TARGET_MS = 5;

/** Every held call was heard with fewer than 1% late packets, and no call failed, held or passing through. */
const holds = (r: ConcurrencyResult): boolean => r.latePercent < 1 && r.failedCalls === 0 && r.churn.failed === 0 && r.streams >= r.calls;

function print(r: SipBenchResult): void {
  console.log('\nSIP gateway under SIPp load (loopback; Parley pinned to one core; G.711 callers hear prompts and key a digit)');
  for (const s of r.setup) {
    console.log(`  set-up at ${s.offeredPerSecond}/s offered: ${s.successful}/${s.calls} calls set up (${s.setUpPerSecond}/s), ${s.failed} failed, mean INVITE→200 ${s.meanInviteTo200Ms.toFixed(1)} ms`);
  }
  for (const c of r.concurrency) {
    console.log(
      `  ${String(c.calls).padStart(4)} calls held, ${c.churn.perSecond}/s coming and going (${c.churn.successful} set up, ${c.churn.failed} failed): ${c.streams} streams, ${c.packets} packets, ` +
        `late ${c.latePercent.toFixed(3)}%, arrival p99 ${c.p99ArrivalDeviationMs.toFixed(1)} ms; server's send-clock p99 over each active call's life median ${c.serverSendClockP99Ms.median.toFixed(1)} / max ${c.serverSendClockP99Ms.max.toFixed(1)} ms; ` +
        `CPU ${c.cpuPercentOfCore.toFixed(0)}% of a core (${c.cpuPercentPerCall.toFixed(3)}% per call), ${c.failedCalls} held calls failed`,
    );
  }
  const best = r.setup.reduce((m, s) => (s.failed === 0 ? Math.max(m, s.setUpPerSecond) : m), 0);
  const at500 = r.concurrency.find((c) => c.calls === 500);
  console.log(
    `  → ${r.maxConcurrentCalls} concurrent calls with < 1% late packets, ${r.maxConcurrentCallsOnClock} with the send clock's p99 as heard under ${CLOCK_P99_TARGET_MS} ms too (target 500)` +
      `${at500 ? `; at 500 calls p99 ${at500.p99ArrivalDeviationMs.toFixed(1)} ms, late ${at500.latePercent.toFixed(3)}%` : ''}; ${best} set-ups/s without failure (target ≥ 100)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchSipGateway({ windowMs: Number(process.env.PARLEY_BENCH_SECONDS ?? 8) * 1000 });
}
