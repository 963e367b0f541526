/** See typescript-hooks.js. */
export function load(
  url: string,
  context: { format?: string | null },
  nextLoad: (url: string, context: object) => Promise<object>,
): Promise<{ format: 'module'; source: string; shortCircuit: true } | object>;
