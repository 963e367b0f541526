/**
 * The logging the SIP stack needs: the pino method shape (`logger.warn({ ...fields }, 'message')`), so a
 * pino logger (or a child of one) can be passed as is. Fields never carry caller numbers, digits or
 * bodies; Call-IDs and methods are fine.
 */
export interface SipLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = (): void => undefined;

export const silentLogger: SipLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
