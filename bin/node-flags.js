// The Node flags Parley wants for the CPUs it may run on and the command it runs, decided before anything is loaded.
import { availableParallelism } from 'node:os';

/** V8's largest semi-space for `parley serve`, in MB, unless PARLEY_SEMI_SPACE_MB says otherwise. */
const SERVE_SEMI_SPACE_MB = 32;

/**
 * Node accepts these flags only on its command line (`--single-threaded-gc` not even in NODE_OPTIONS, and
 * setting either once V8 runs has no effect or aborts the process), so the command starts itself again with
 * them.
 *
 * - On one CPU (taskset, a one-CPU cpuset or container), V8 still gives its garbage collector helper
 *   threads (four by default), which can only take turns with the main thread: every collection costs more
 *   and pauses longer, and each call's 20 ms packet clock feels the pause. On the SIP benchmark, on one core,
 *   `--single-threaded-gc` took 20–26% of the core for 500 calls instead of 29–31%, and the send clock's p99
 *   as heard to 2.1–3.5 ms. PARLEY_GC=parallel keeps V8's default.
 * - On more than one CPU, `serve` gets semi-spaces of up to 32 MB instead of V8's 16 MB. A chat turn
 *   allocates about 40 KB, so at full load the default young generation was collected 10–15 times a second,
 *   and what the turns in flight held at each collection was copied and, one collection later, promoted. In
 *   alternating windows against V8's default (2-core host): 3–10% less CPU per chat turn (and 3–10% more
 *   turns a second), 3–12% less per IVR turn, for about 70 MB more peak memory; the SIP benchmark with Parley on
 *   both cores was unchanged. Not on one CPU: there, with the single-threaded collector, the SIP
 *   benchmark's 500 calls had 0.95–1.06% late packets instead of 0.00–0.02% (two runs each).
 *   PARLEY_SEMI_SPACE_MB sets the size (0 keeps V8's default); a `--max-semi-space-size` already in
 *   NODE_OPTIONS is left to rule.
 *
 * @param {number} [cpus] the CPUs this process may run on
 * @param {Record<string, string | undefined>} [env]
 * @param {string} [command] the `parley` command about to run (`serve`, `validate` …)
 * @returns {string[]} the flags to add to Node's command line
 */
export function nodeFlagsFor(cpus = availableParallelism(), env = process.env, command = undefined) {
  const flags = [];
  if (cpus === 1 && env.PARLEY_GC !== 'parallel') flags.push('--single-threaded-gc');
  if (command === 'serve') {
    const mb = semiSpaceMb(env.PARLEY_SEMI_SPACE_MB); // checked on any number of CPUs
    if (mb > 0 && cpus > 1 && !(env.NODE_OPTIONS ?? '').includes('--max-semi-space-size')) flags.push(`--max-semi-space-size=${mb}`);
  }
  return flags;
}

/** The semi-space size asked for, in MB (0: V8's default); throws, naming the variable, for anything but a whole number. */
function semiSpaceMb(value) {
  if (value === undefined || value === '') return SERVE_SEMI_SPACE_MB;
  if (!/^\d+$/.test(value) || Number(value) > 1024) {
    throw new Error(`PARLEY_SEMI_SPACE_MB must be a whole number of megabytes from 0 (V8's default) to 1024, not '${value}'`);
  }
  return Number(value);
}

/**
 * The flags of `wanted` that Node's command line `execArgv` does not already set: a flag given there with
 * another value (`--max-semi-space-size=8`) is left as given.
 *
 * @param {string[]} wanted
 * @param {string[]} execArgv
 * @returns {string[]}
 */
export function missingFlags(wanted, execArgv) {
  const name = (flag) => flag.split('=')[0];
  return wanted.filter((flag) => !execArgv.some((given) => name(given) === name(flag)));
}
