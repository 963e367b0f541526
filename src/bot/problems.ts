import { ParleyError } from '../errors.ts';

/** One thing wrong in a bot folder, located by file, line and field. */
export interface BotProblem {
  file: string;
  line: number;
  /** Dotted path of the field, e.g. `nodes[2].entity`. */
  field: string;
  message: string;
}

export function formatProblem(p: BotProblem): string {
  return `${p.file}:${p.line}: ${p.field || '(file)'}: ${p.message}`;
}

export class BotInvalidError extends ParleyError {
  readonly problems: BotProblem[];

  constructor(dir: string, problems: BotProblem[]) {
    super(
      'PARLEY_ERR_BOT_INVALID',
      `the bot in ${dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
      { details: problems },
    );
    this.problems = problems;
  }
}

/** Formats a JSON path (`['nodes', 2, 'entity']`) as `nodes[2].entity`. */
export function fieldName(path: ReadonlyArray<string | number>): string {
  return path
    .map((k, i) => (typeof k === 'number' || /^[0-9]+$/.test(k) ? `[${k}]` : i === 0 ? k : `.${k}`))
    .join('');
}
