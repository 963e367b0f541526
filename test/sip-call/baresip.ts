/**
 * baresip (Debian) as a headless caller: it plays a WAV file as its microphone, records what it hears
 * (the sndfile module writes `dump-*-dec.wav`), dials one URI, and is stopped by the test or after
 * `maxSeconds`. Runs in a scratch directory; everything is on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BaresipOptions {
  dir: string;
  /** 16 kHz mono WAV the caller "says". */
  source: string;
  sipPort: number;
  rtpPortMin: number;
  codec: 'G722' | 'L16';
  maxSeconds: number;
}

export interface BaresipCall {
  /** Hang up (baresip sends BYE as it quits) and wait for it to exit. */
  hangUp(): Promise<void>;
  exited: Promise<number | null>;
  output(): string;
  /** The recording of what the caller heard. */
  recording(): string | undefined;
}

export function dialWithBaresip(uri: string, o: BaresipOptions): BaresipCall {
  const modules = ['account', 'g722', 'l16', 'aufile', 'sndfile', 'menu', 'aubridge'].map((m) => `module\t\t\t${m}.so`);
  writeFileSync(
    join(o.dir, 'config'),
    [
      'poll_method\t\tepoll',
      `sip_listen\t\t127.0.0.1:${o.sipPort}`,
      'module_path\t\t/usr/lib/baresip/modules',
      ...modules,
      `audio_source\t\taufile,${o.source}`,
      'audio_player\t\taubridge,nil',
      'audio_alert\t\taubridge,nil',
      `snd_path\t\t${o.dir}`,
      `rtp_ports\t\t${o.rtpPortMin}-${o.rtpPortMin + 20}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(o.dir, 'accounts'), `<sip:caller@127.0.0.1>;regint=0;audio_codecs=${o.codec === 'L16' ? 'L16/16000/1' : 'G722'}\n`);
  const child: ChildProcess = spawn('baresip', ['-f', o.dir, '-e', `/dial ${uri}`, '-t', String(o.maxSeconds)], { cwd: o.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  const hardStop = setTimeout(() => child.kill('SIGKILL'), (o.maxSeconds + 10) * 1000);
  void exited.then(() => clearTimeout(hardStop));
  return {
    exited,
    async hangUp() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    output: () => out,
    recording() {
      const file = readdirSync(o.dir).find((f) => f.startsWith('dump-') && f.endsWith('-dec.wav'));
      return file ? join(o.dir, file) : undefined;
    },
  };
}

/** A 16-bit mono WAV file. */
export function writeWav(file: string, samples: Int16Array, sampleRateHz: number): void {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  writeFileSync(file, Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]));
}
