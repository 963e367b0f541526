/** See node-flags.js. */
export function nodeFlagsFor(cpus?: number, env?: Record<string, string | undefined>): string[];
