/** The part of a pino logger the storage layer uses; any pino `Logger` fits. */
export interface StorageLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
