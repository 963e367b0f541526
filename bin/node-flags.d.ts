/** See node-flags.js. */
export function nodeFlagsFor(cpus?: number, env?: Record<string, string | undefined>, command?: string): string[];
export function missingFlags(wanted: string[], execArgv: string[]): string[];
