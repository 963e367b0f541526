import pino, { type Logger } from 'pino';

/**
 * Structured logs. Transcripts, keypad digits and caller identities are personal data: they are logged
 * only under these keys, which are redacted unless PARLEY_LOG_PERSONAL_DATA=true.
 */
export const personalKeys = ['text', 'digits', 'customer', 'from', 'to', 'utterance'];

export function createLogger(options: { level?: string; personalData?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const paths = personalKeys.flatMap((k) => [k, `*.${k}`]);
  return pino(
    {
      level: options.level ?? process.env.PARLEY_LOG_LEVEL ?? 'info',
      base: undefined,
      ...(options.personalData ? {} : { redact: { paths, censor: '[redacted]' } }),
    },
    options.destination ?? pino.destination(2),
  );
}
