import { fileURLToPath } from 'node:url';
import { ParleyError } from '../../errors.ts';
import { resolveSipConfig, type SipConfig } from './sip-config.ts';

export type { SipConfig } from './sip-config.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  botsDir: string;
  databaseUrl?: string;
  apiKey?: string;
  logLevel: string;
  /**
   * The reverse proxies whose `X-Forwarded-For` names the client (Fastify's `trustProxy`): `true` (any), or
   * their addresses and CIDR ranges separated by commas. Unset: the client is the connection's peer.
   */
  trustProxy?: boolean | string;
  /**
   * Whether the built-in NLU runs on a thread of its own (`PARLEY_NLU_THREAD=on|off`); unset, it does when
   * the process may use more than one CPU.
   */
  nluThread?: boolean;
  /** The SIP voice channel; absent when it is off (and in servers started without it, as tests do). */
  sip?: SipConfig;
}

/** The demo bots that ship with Parley (`examples/`). */
export const demoBotsDir = fileURLToPath(new URL('../../../examples', import.meta.url));

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ParleyError('PARLEY_ERR_CONFIG', `${name} must be a port number from 0 to 65535, not '${value}'`);
  }
  return n;
}

function onOff(value: string, name: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new ParleyError('PARLEY_ERR_CONFIG', `${name} must be on or off, not '${value}'`);
}

function trustProxy(value: string): boolean | string {
  if (value === 'true') return true;
  if (value.split(',').every((part) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part.trim()))) return value;
  throw new ParleyError('PARLEY_ERR_CONFIG', `PARLEY_TRUST_PROXY must be true or the proxies' addresses and CIDR ranges separated by commas, not '${value}'`);
}

/** Flags win over environment variables, which win over defaults. */
export function resolveConfig(flags: Partial<Record<'port' | 'host' | 'data' | 'bots' | 'database' | 'sipPort', string>>, env = process.env): ServerConfig {
  const databaseUrl = flags.database ?? env.PARLEY_DATABASE_URL;
  const sip = resolveSipConfig(flags.sipPort, env);
  return {
    port: port(flags.port ?? env.PARLEY_PORT, flags.port !== undefined ? '--port' : 'PARLEY_PORT', 8080),
    host: flags.host ?? env.PARLEY_HOST ?? '0.0.0.0',
    dataDir: flags.data ?? env.PARLEY_DATA_DIR ?? 'data',
    botsDir: flags.bots ?? env.PARLEY_BOTS_DIR ?? demoBotsDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(env.PARLEY_API_KEY ? { apiKey: env.PARLEY_API_KEY } : {}),
    logLevel: env.PARLEY_LOG_LEVEL ?? 'info',
    ...(env.PARLEY_TRUST_PROXY ? { trustProxy: trustProxy(env.PARLEY_TRUST_PROXY) } : {}),
    ...(env.PARLEY_NLU_THREAD ? { nluThread: onOff(env.PARLEY_NLU_THREAD, 'PARLEY_NLU_THREAD') } : {}),
    ...(sip ? { sip } : {}),
  };
}
