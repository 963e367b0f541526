import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '../../src/apps/logger.ts';
import { demoBotsDir } from '../../src/apps/server/config.ts';
import { resolveSipConfig } from '../../src/apps/server/sip-config.ts';
import { startServer } from '../../src/apps/server/start.ts';
import { benchDataDir } from './bench-data-dir.ts';

/**
 * Parley with the demo bots and the SIP gateway on ephemeral ports, for the SIP benchmark (no speech
 * recognition: callers key). The admission limit is raised above the default 1000 calls, so that the
 * largest step (1000 held, others coming and going) measures the media rather than the limit.
 */
const sip = resolveSipConfig('0', { PARLEY_STT: 'off', PARLEY_SIP_SANDBOX: 'off', PARLEY_SIP_DRAIN_MS: '0', PARLEY_SIP_MAX_CALLS: '2000' })!;
const data = benchDataDir('parley-bench-sip-');
const server = await startServer(
  { port: 0, host: '127.0.0.1', dataDir: data.dir, botsDir: demoBotsDir, apiKey: 'bench', logLevel: 'warn', sip },
  { logger: createLogger({ level: 'error' }), print: () => undefined },
);
const udp = server.sip!.bindings.find((b) => b.protocol === 'udp')!.port;
process.stdout.write(`SIP ${udp}\nURL ${server.url}\n`);
data.closeOnSigterm(server);

// PARLEY_BENCH_LOOP=1: once a second, how late the event loop ran (what every call's packet clock suffers).
if (process.env.PARLEY_BENCH_LOOP) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  setInterval(() => {
    process.stderr.write(`loop delay: ${server.sip?.calls.activeCount ?? 0} calls, p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms\n`);
    delay.reset();
  }, 1000).unref();
}
