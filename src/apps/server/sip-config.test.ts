import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { resolveSipConfig } from './sip-config.ts';

describe('SIP settings', () => {
  it('listens on 5060 with espeak-ng, pocketsphinx and a two-line sandbox by default', () => {
    expect(resolveSipConfig(undefined, {})).toEqual({
      port: 5060,
      rtpMinPort: 10000,
      rtpMaxPort: 20000,
      numbers: {},
      sandboxNumber: 'sandbox',
      sandboxMaxCalls: 2,
      tts: 'espeak-ng',
      stt: 'pocketsphinx',
      drainTimeoutMs: 30_000,
    });
  });

  it('takes --sip-port over PARLEY_SIP_PORT, and off turns SIP off', () => {
    expect(resolveConfig({ sipPort: '5070' }, { PARLEY_SIP_PORT: '5080' }).sip?.port).toBe(5070);
    expect(resolveConfig({}, { PARLEY_SIP_PORT: '5080' }).sip?.port).toBe(5080);
    expect(resolveConfig({}, { PARLEY_SIP_PORT: 'off' }).sip).toBeUndefined();
  });

  it('reads numbers, targets, codecs of speech and the sandbox from the environment', () => {
    const sip = resolveSipConfig(undefined, {
      PARLEY_SIP_NUMBERS: '+15550100=bank, 5000=bank',
      PARLEY_SIP_TRANSFER_TARGET: 'sip:agents@pbx.example.com',
      PARLEY_SIP_FALLBACK_TARGET: 'sip:operator@pbx.example.com',
      PARLEY_SIP_SANDBOX: 'off',
      PARLEY_TTS: 'flite',
      PARLEY_STT: 'off',
      PARLEY_RTP_PORTS: '30000-30999',
      PARLEY_SIP_ALLOW: '192.0.2.0/24, 198.51.100.7',
    });
    expect(sip).toMatchObject({
      numbers: { '+15550100': 'bank', '5000': 'bank' },
      transferTarget: 'sip:agents@pbx.example.com',
      fallbackTarget: 'sip:operator@pbx.example.com',
      tts: 'flite',
      stt: 'off',
      rtpMinPort: 30000,
      rtpMaxPort: 30999,
      allow: ['192.0.2.0/24', '198.51.100.7'],
    });
    expect(sip?.sandboxNumber).toBeUndefined();
  });

  it('says which setting is wrong and how', () => {
    expect(() => resolveSipConfig('70000', {})).toThrow(/--sip-port must be a whole number from 0 to 65535/);
    expect(() => resolveSipConfig(undefined, { PARLEY_SIP_TRANSFER_TARGET: 'agents' })).toThrow(/must be a SIP URI/);
    expect(() => resolveSipConfig(undefined, { PARLEY_TTS: 'polly' })).toThrow(/PARLEY_TTS must be espeak-ng or flite/);
    expect(() => resolveSipConfig(undefined, { PARLEY_SIP_NUMBERS: 'bank' })).toThrow(/number=bot pairs/);
  });
});
