import { ParleyError } from '../../errors.ts';

/** The SIP voice channel's settings, from environment variables (and `--sip-port`). */
export interface SipConfig {
  /** UDP and TCP port (PARLEY_SIP_PORT, default 5060; 0 for ephemeral ports). */
  port: number;
  /** Address to listen on (PARLEY_SIP_HOST, default the HTTP host). */
  host?: string;
  /** Address written in SIP and SDP when the listening one is not reachable (PARLEY_SIP_PUBLIC_HOST). */
  advertisedHost?: string;
  /** RTP ports (PARLEY_RTP_PORTS, default 10000-20000). */
  rtpMinPort: number;
  rtpMaxPort: number;
  /** Source addresses or CIDR ranges allowed to call (PARLEY_SIP_ALLOW, comma-separated; default everyone). */
  allow?: string[];
  /** Calls at once (PARLEY_SIP_MAX_CALLS, default 1000). */
  maxCalls?: number;
  /** Where hand-offs go when routing leaves the transfer to the channel (PARLEY_SIP_TRANSFER_TARGET, a SIP URI). */
  transferTarget?: string;
  /** Where callers go when a transfer fails or a call breaks (PARLEY_SIP_FALLBACK_TARGET, a SIP URI). */
  fallbackTarget?: string;
  /** Called numbers that reach a bot (PARLEY_SIP_NUMBERS, `+15550100=bank,5000=bank`). */
  numbers: Record<string, string>;
  /** The sandbox line's number or user (PARLEY_SIP_SANDBOX, default `sandbox`; `off` disables it). */
  sandboxNumber?: string;
  /** Sandbox calls at once (PARLEY_SIP_SANDBOX_MAX_CALLS, default 2). */
  sandboxMaxCalls: number;
  /** Text to speech (PARLEY_TTS: espeak-ng, the default, or flite) and its voice (PARLEY_TTS_VOICE). */
  tts: 'espeak-ng' | 'flite';
  ttsVoice?: string;
  /** Speech recognition (PARLEY_STT: pocketsphinx, the default, or off). */
  stt: 'pocketsphinx' | 'off';
  /** How long a stop waits for calls in progress (PARLEY_SIP_DRAIN_MS, default 30000). */
  drainTimeoutMs: number;
}

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ParleyError('PARLEY_ERR_CONFIG', `${name} must be a whole number from ${min} to ${max}, not '${value}'`);
  return n;
}

function sipUri(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^sips?:[^\s]+$/i.test(value)) throw new ParleyError('PARLEY_ERR_CONFIG', `${name} must be a SIP URI such as sip:agents@pbx.example.com, not '${value}'`);
  return value;
}

/** The SIP settings, or undefined when SIP is off (`PARLEY_SIP_PORT=off`). */
export function resolveSipConfig(portFlag: string | undefined, env: NodeJS.ProcessEnv): SipConfig | undefined {
  const portText = portFlag ?? env.PARLEY_SIP_PORT;
  if (portText === 'off') return undefined;
  const portName = portFlag !== undefined ? '--sip-port' : 'PARLEY_SIP_PORT';
  const [minText, maxText] = (env.PARLEY_RTP_PORTS ?? '10000-20000').split('-');
  const rtpMinPort = integer(minText, 'PARLEY_RTP_PORTS (min)', 10000, 1024, 65535);
  const rtpMaxPort = integer(maxText, 'PARLEY_RTP_PORTS (max)', 20000, 1024, 65535);
  const numbers: Record<string, string> = {};
  for (const pair of (env.PARLEY_SIP_NUMBERS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [number, bot] = pair.split('=').map((s) => s.trim());
    if (!number || !bot) throw new ParleyError('PARLEY_ERR_CONFIG', `PARLEY_SIP_NUMBERS holds number=bot pairs separated by commas, not '${pair}'`);
    numbers[number] = bot;
  }
  const tts = env.PARLEY_TTS ?? 'espeak-ng';
  if (tts !== 'espeak-ng' && tts !== 'flite') throw new ParleyError('PARLEY_ERR_CONFIG', `PARLEY_TTS must be espeak-ng or flite, not '${tts}'`);
  const stt = env.PARLEY_STT ?? 'pocketsphinx';
  if (stt !== 'pocketsphinx' && stt !== 'off') throw new ParleyError('PARLEY_ERR_CONFIG', `PARLEY_STT must be pocketsphinx or off, not '${stt}'`);
  const sandbox = env.PARLEY_SIP_SANDBOX ?? 'sandbox';
  const transferTarget = sipUri(env.PARLEY_SIP_TRANSFER_TARGET, 'PARLEY_SIP_TRANSFER_TARGET');
  const fallbackTarget = sipUri(env.PARLEY_SIP_FALLBACK_TARGET, 'PARLEY_SIP_FALLBACK_TARGET');
  const allow = env.PARLEY_SIP_ALLOW?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    port: integer(portText, portName, 5060, 0, 65535),
    ...(env.PARLEY_SIP_HOST ? { host: env.PARLEY_SIP_HOST } : {}),
    ...(env.PARLEY_SIP_PUBLIC_HOST ? { advertisedHost: env.PARLEY_SIP_PUBLIC_HOST } : {}),
    rtpMinPort,
    rtpMaxPort,
    ...(allow && allow.length > 0 ? { allow } : {}),
    ...(env.PARLEY_SIP_MAX_CALLS ? { maxCalls: integer(env.PARLEY_SIP_MAX_CALLS, 'PARLEY_SIP_MAX_CALLS', 1000, 1, 100_000) } : {}),
    ...(transferTarget ? { transferTarget } : {}),
    ...(fallbackTarget ? { fallbackTarget } : {}),
    numbers,
    ...(sandbox !== 'off' ? { sandboxNumber: sandbox } : {}),
    sandboxMaxCalls: integer(env.PARLEY_SIP_SANDBOX_MAX_CALLS, 'PARLEY_SIP_SANDBOX_MAX_CALLS', 2, 1, 1000),
    tts,
    ...(env.PARLEY_TTS_VOICE ? { ttsVoice: env.PARLEY_TTS_VOICE } : {}),
    stt,
    drainTimeoutMs: integer(env.PARLEY_SIP_DRAIN_MS, 'PARLEY_SIP_DRAIN_MS', 30_000, 0, 3_600_000),
  };
}
