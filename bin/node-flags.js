// The Node flags Parley wants for the CPUs it may run on, decided before anything is loaded.
import { availableParallelism } from 'node:os';

/**
 * On one CPU (taskset, a one-CPU cpuset or container), V8 still gives its garbage collector helper
 * threads (four by default), which can only take turns with the main thread: every collection costs
 * more and pauses longer, and each call's 20 ms packet clock feels the pause. On the SIP benchmark, on
 * one core, `--single-threaded-gc` took 20–26% of the core for 500 calls instead of 29–31%, and the
 * send clock's p99 as heard to 2.1–3.5 ms. Node accepts the flag only on its command line (not in
 * NODE_OPTIONS, and setting it once V8 runs aborts the process), so the command starts itself again
 * with it. PARLEY_GC=parallel keeps V8's default.
 *
 * @param {number} [cpus] the CPUs this process may run on
 * @returns {string[]} the flags to add to Node's command line
 */
export function nodeFlagsFor(cpus = availableParallelism(), env = process.env) {
  return cpus === 1 && env.PARLEY_GC !== 'parallel' ? ['--single-threaded-gc'] : [];
}
