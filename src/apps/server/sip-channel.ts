import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { TransferTargets } from '../../channels/sip-call/call-transfer.ts';
import { advertisedHostFor, createSipGateway, type SipGateway } from '../../channels/sip-call/sip-gateway.ts';
import { ParleyError } from '../../errors.ts';
import type { BotRegistry } from '../../runtime/bot-registry.ts';
import type { ConversationService } from '../../runtime/conversation-service.ts';
import { createEspeakTts } from '../../speech/espeak-tts.ts';
import { createFliteTts } from '../../speech/flite-tts.ts';
import { createPocketsphinxStt, type PocketsphinxStt } from '../../speech/pocketsphinx-stt.ts';
import type { SttProvider } from '../../speech/stt-port.ts';
import { TtsCache } from '../../speech/tts-cache.ts';
import type { TtsProvider } from '../../speech/tts-port.ts';
import type { SipConfig } from './config.ts';

/**
 * The SIP voice channel of `parley serve`, assembled: speech providers registered explicitly (TTS espeak-ng
 * or flite, STT pocketsphinx), the gateway on UDP and TCP, transfers routed by the hand-off engine.
 */
export interface SipChannel {
  gateway: SipGateway;
  /** Lines for the start banner. */
  banner(hosts: string[]): string[];
  close(): Promise<void>;
}

export interface SipChannelDeps {
  config: SipConfig;
  /** The HTTP host setting, used when SIP has none of its own. */
  host: string;
  bots: BotRegistry;
  service: ConversationService;
  transfers?: TransferTargets;
  /** Keeps sandbox PINs unguessable. */
  secret: string;
  logger: Logger;
}

export async function startSipChannel(deps: SipChannelDeps): Promise<SipChannel> {
  const { config, logger } = deps;
  const provider: TtsProvider = config.tts === 'flite' ? createFliteTts() : await createEspeakTts();
  const tts = new TtsCache({ provider });
  let stt: (SttProvider & Partial<Pick<PocketsphinxStt, 'close'>>) | undefined;
  if (config.stt === 'pocketsphinx') {
    if (existsSync('/usr/share/pocketsphinx/model/en-us/en-us')) {
      const pocketsphinx = createPocketsphinxStt();
      await pocketsphinx.warmUp();
      stt = pocketsphinx;
    } else logger.warn('speech recognition is off: install the Debian packages pocketsphinx and pocketsphinx-en-us (callers can still use the keypad)');
  }
  const host = config.host ?? deps.host;
  let gateway: SipGateway;
  try {
    gateway = await createSipGateway({
      service: deps.service,
      bots: { get: (id) => deps.bots.get(id), has: (id) => deps.bots.has(id), list: () => deps.bots.list() },
      tts,
      ...(stt ? { stt } : {}),
      ...(deps.transfers ? { transfers: deps.transfers } : {}),
      ...(config.transferTarget ? { transferTarget: config.transferTarget } : {}),
      ...(config.fallbackTarget ? { fallbackTarget: config.fallbackTarget } : {}),
      ...(config.ttsVoice ? { voice: config.ttsVoice } : {}),
      sip: {
        host,
        port: config.port,
        advertisedHost: config.advertisedHost ?? advertisedHostFor(host),
        ...(config.allow ? { allow: config.allow } : {}),
        ...(config.maxCalls ? { maxCalls: config.maxCalls } : {}),
      },
      rtp: { minPort: config.rtpMinPort, maxPort: config.rtpMaxPort },
      numbers: config.numbers,
      ...(config.sandboxNumber ? { sandbox: { number: config.sandboxNumber, maxCalls: config.sandboxMaxCalls, secret: deps.secret } } : {}),
      logger,
    });
  } catch (err) {
    stt?.close?.();
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new ParleyError('PARLEY_ERR_CONFIG', `cannot listen for SIP on ${host}:${config.port} (${code}): set PARLEY_SIP_PORT (or --sip-port) to a free port, or to off`, { cause: err });
    }
    throw err;
  }
  logger.info({ tts: provider.id, stt: stt?.id ?? 'off', bindings: gateway.bindings }, 'SIP gateway listening');
  return {
    gateway,
    banner(hosts) {
      const udp = gateway.bindings.find((b) => b.protocol === 'udp')?.port;
      const tcp = gateway.bindings.find((b) => b.protocol === 'tcp')?.port;
      const ports = udp === tcp ? `${udp} (UDP and TCP)` : `${udp} (UDP), ${tcp} (TCP)`;
      const shown = host === '0.0.0.0' || host === '::' ? hosts : [host];
      const lines = shown.map((h) => `  SIP           sip:<botId>@${h.includes(':') ? `[${h}]` : h}:${ports}   (speech: ${provider.id}, ${stt?.id ?? 'keypad only'})`);
      const sandbox = gateway.sandbox;
      if (sandbox) {
        const pins = sandbox.pins().map((p) => `${p.botId} ${p.pin}`).join(', ');
        lines.push(`  SIP sandbox   sip:${sandbox.number}@${shown[0] ?? host}:${udp}   (key a bot's PIN then #: ${pins}; ${sandbox.maxCalls} lines)`);
      }
      return lines;
    },
    async close() {
      await gateway.stop(config.drainTimeoutMs);
      stt?.close?.();
    },
  };
}
