/**
 * The logger of one request, made only when the request logs something at an enabled level.
 *
 * Fastify gives every request a child of the server's logger, bound to the request id. pino passes a child's
 * bindings through the redaction of personal data (`logger.ts`), which allocates a few kilobytes, and nearly
 * every request logs nothing: on the chat benchmark that child cost about 1.5% of the CPU of a turn and a
 * tenth of its garbage. This stand-in holds the parent and the bindings, and makes the real child on the
 * first line that would be written; the line is the same as the child would have written.
 */
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import type { FastifyBaseLogger } from 'fastify';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogArgs = [obj: unknown, msg?: string, ...args: unknown[]];

/** Fastify's `childLoggerFactory`, for a server whose logger is a pino logger. */
export function lazyRequestLogger(this: unknown, parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(parent as unknown as Logger, bindings, options);
}

class LazyChildLogger implements FastifyBaseLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: LogArgs): void {
    this.#log('fatal', args);
  }

  error(...args: LogArgs): void {
    this.#log('error', args);
  }

  warn(...args: LogArgs): void {
    this.#log('warn', args);
  }

  info(...args: LogArgs): void {
    this.#log('info', args);
  }

  debug(...args: LogArgs): void {
    this.#log('debug', args);
  }

  trace(...args: LogArgs): void {
    this.#log('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  #log(method: Method, args: LogArgs): void {
    if (this.#child === undefined && !this.#enabled(method)) return;
    this.#real()[method](...args);
  }

  /** Whether a line at this level would be written, as the child would decide it. */
  #enabled(method: Method): boolean {
    const values = this.parent.levels.values;
    const threshold = this.options.level === undefined ? this.parent.levelVal : values[this.options.level];
    return threshold !== undefined && (values[method] ?? 0) >= threshold;
  }

  #real(): Logger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }
}
