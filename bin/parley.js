#!/usr/bin/env node
// Entry point of the `parley` command: loads the TypeScript CLI through `typescript.js`, so no build step is needed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missingFlags, nodeFlagsFor } from './node-flags.js';

let wanted;
try {
  wanted = nodeFlagsFor(undefined, process.env, process.argv[2]);
} catch (err) {
  process.stderr.write(`error PARLEY_ERR_CONFIG: ${err instanceof Error ? err.message : String(err)}\n  → fix the configuration value named in the message\n`);
  process.exit(1);
}
const missing = missingFlags(wanted, process.execArgv);
if (missing.length > 0) {
  // Started again with the flags only Node's command line takes (see node-flags.js), same streams and
  // arguments. Ctrl-C reaches both processes from the terminal, so it is not passed on (a second SIGINT
  // would cut the server's graceful stop short); SIGTERM and SIGHUP, sent to this process alone, are.
  // The IPC channel is only there to close: if this process is killed outright, the other one stops too.
  const child = spawn(process.execPath, [...missing, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, PARLEY_RESTARTED: '1' },
  });
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  if (process.env.PARLEY_RESTARTED === '1' && process.channel) {
    // started by the command above: stop as on SIGTERM when it is gone, without the channel keeping us alive
    delete process.env.PARLEY_RESTARTED;
    process.channel.unref();
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  await import('./typescript.js');
  const { main } = await import('../src/apps/cli/main.ts');
  process.exitCode = await main(process.argv);
}
