import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ParleyError } from '../errors.ts';
import { toJsgf } from './jsgf.ts';
import type { SttProvider, SttRequest, SttResult, SttStream } from './stt-port.ts';
import { wordAgreement } from './word-agreement.ts';

/**
 * Speech recognition with Debian's `pocketsphinx` and its US English model (`pocketsphinx-en-us`, 16 kHz).
 * A recognition runs two decoders on the same audio as it streams in: one held to the JSGF grammar of what
 * the caller may say here, and one free, with the model's language model. The grammar's words are the
 * result; how far the free decoder heard the same words is the confidence (a grammar decoder alone always
 * finds some phrase, even in words it was never meant to match, and reports it as certain). Without a
 * grammar the free decoder's words are the result, with the mean of its word posteriors as confidence
 * (which runs low: "goodbye", rightly heard, may score 0.1).
 */

export interface PocketsphinxOptions {
  command?: string;
  /** Folder of the model: `en-us/` (acoustic model), `cmudict-en-us.dict`, `en-us.lm.bin`. */
  modelDir?: string;
  /** A recognition's decoders are killed after this long; default 20 s. */
  timeoutMs?: number;
}

export interface PocketsphinxStt extends SttProvider {
  /** Loads the pronunciation dictionary ahead of the first call (else the first grammar loads it, blocking). */
  warmUp(): Promise<void>;
  /** Remove the grammar files. */
  close(): void;
}

export function createPocketsphinxStt(options: PocketsphinxOptions = {}): PocketsphinxStt {
  const command = options.command ?? 'pocketsphinx_continuous';
  const modelDir = options.modelDir ?? '/usr/share/pocketsphinx/model/en-us';
  const dictFile = join(modelDir, 'cmudict-en-us.dict');
  const model = ['-hmm', join(modelDir, 'en-us'), '-dict', dictFile];
  const timeoutMs = options.timeoutMs ?? 20_000;
  let dictionary: Set<string> | undefined;
  let grammarDir: string | undefined;
  const grammarFiles = new Map<string, string | null>();

  const words = (text: string): Set<string> => new Set(text.split('\n').map((line) => line.slice(0, line.indexOf(' ')).replace(/\(\d+\)$/, '')));
  const missing = (): ParleyError => new ParleyError('PARLEY_ERR_SPEECH', `no pronunciation dictionary at ${dictFile} (Debian package pocketsphinx-en-us)`);
  const knows = (word: string): boolean => {
    if (!dictionary) {
      if (!existsSync(dictFile)) throw missing();
      dictionary = words(readFileSync(dictFile, 'utf8'));
    }
    return dictionary.has(word);
  };

  /** The grammar as a JSGF file (written once per distinct grammar), or null when none of it can be said. */
  const grammarFile = (request: SttRequest): string | null => {
    if (!request.grammar) return null;
    const key = JSON.stringify(request.grammar);
    const known = grammarFiles.get(key);
    if (known !== undefined) return known;
    const jsgf = toJsgf(request.grammar, knows);
    let file: string | null = null;
    if (jsgf) {
      grammarDir ??= mkdtempSync(join(tmpdir(), 'parley-jsgf-'));
      file = join(grammarDir, `${createHash('sha256').update(jsgf).digest('hex').slice(0, 16)}.gram`);
      writeFileSync(file, jsgf);
    }
    grammarFiles.set(key, file);
    return file;
  };

  return {
    id: 'pocketsphinx',
    capabilities: { streaming: true, interimResults: false, grammars: true, languages: ['en-US'], sampleRatesHz: [16000] },
    start(request) {
      if (request.sampleRateHz !== 16000) {
        throw new ParleyError('PARLEY_ERR_SPEECH', `pocketsphinx's model takes 16000 Hz audio, not ${request.sampleRateHz} Hz`);
      }
      if (!request.language.toLowerCase().startsWith('en')) {
        throw new ParleyError('PARLEY_ERR_SPEECH', `pocketsphinx has a model for en-US only, not ${request.language}`);
      }
      const base = [...model, '-infile', '/dev/stdin', '-samprate', '16000'];
      const gram = grammarFile(request);
      const free = new Decoder(command, [...base, '-lm', join(modelDir, 'en-us.lm.bin'), '-time', 'yes'], timeoutMs);
      const held = gram ? new Decoder(command, [...base, '-jsgf', gram], timeoutMs) : undefined;
      const decoders = held ? [free, held] : [free];
      const onAbort = (): void => decoders.forEach((d) => d.kill());
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const stream: SttStream = {
        write(samples) {
          const bytes = Buffer.from(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
          for (const d of decoders) d.write(bytes);
        },
        async finish(): Promise<SttResult> {
          try {
            const [freeOut, heldOut] = await Promise.all(decoders.map((d) => d.finish()));
            const heard = parseTimedWords(freeOut!);
            if (!held) return { text: heard.text, confidence: heard.text ? heard.meanProbability : 0 };
            const text = hypothesis(heldOut!);
            if (!text) return { text: '', confidence: 0 };
            return { text, confidence: round(wordAgreement(text, heard.text)) };
          } finally {
            request.signal?.removeEventListener('abort', onAbort);
          }
        },
        abort: onAbort,
      };
      return stream;
    },
    async warmUp() {
      if (dictionary) return;
      const text = await readFile(dictFile, 'utf8').catch(() => {
        throw missing();
      });
      dictionary ??= words(text);
    },
    close() {
      if (grammarDir) rmSync(grammarDir, { recursive: true, force: true });
      grammarDir = undefined;
      grammarFiles.clear();
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The decoder's hypothesis lines (one per utterance it found in the audio), joined. */
function hypothesis(output: string): string {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

const NOT_WORDS = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/;

/** `-time yes` output: the hypothesis, then `word start end probability` per word (fillers included). */
export function parseTimedWords(output: string): { text: string; meanProbability: number } {
  const words: string[] = [];
  let sum = 0;
  for (const line of output.split('\n')) {
    const m = /^(\S+) [0-9.]+ [0-9.]+ ([0-9.]+)$/.exec(line.trim());
    if (!m || NOT_WORDS.test(m[1]!)) continue;
    words.push(m[1]!.replace(/\(\d+\)$/, ''));
    sum += Math.min(1, Number(m[2]));
  }
  return { text: words.join(' '), meanProbability: words.length ? sum / words.length : 0 };
}

/**
 * One pocketsphinx process reading the audio on its standard input. It opens `/dev/stdin` by name, which
 * fails on the socket Node gives a child for stdin, so `cat` turns that socket into a pipe; the two run in
 * their own process group, killed together.
 */
class Decoder {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #done: Promise<string>;
  #killed = false;

  constructor(command: string, args: string[], timeoutMs: number) {
    this.#child = spawn('sh', ['-c', 'cat | "$0" "$@"', command, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.#child.stdin.on('error', () => undefined);
    let out = '';
    let err = '';
    this.#child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    this.#child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    this.#done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new ParleyError('PARLEY_ERR_SPEECH', `${command} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.#child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new ParleyError('PARLEY_ERR_SPEECH', e.code === 'ENOENT' ? `${command} is not installed (Debian package pocketsphinx)` : `${command}: ${e.message}`, { cause: e }));
      });
      this.#child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) return resolve(out);
        if (code === 127) return reject(new ParleyError('PARLEY_ERR_SPEECH', `${command} is not installed (Debian package pocketsphinx)`));
        const why = this.#killed ? 'stopped' : `${signal ?? `exit ${code}`}: ${lastErrors(err)}`;
        reject(new ParleyError('PARLEY_ERR_SPEECH', `${command} failed (${why})`));
      });
    });
    this.#done.catch(() => undefined);
  }

  write(bytes: Buffer): void {
    if (!this.#child.stdin.writableEnded && !this.#killed) this.#child.stdin.write(bytes);
  }

  finish(): Promise<string> {
    if (!this.#child.stdin.writableEnded) this.#child.stdin.end();
    return this.#done;
  }

  kill(): void {
    this.#killed = true;
    if (this.#child.exitCode !== null || this.#child.signalCode !== null || this.#child.pid === undefined) return;
    try {
      process.kill(-this.#child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function lastErrors(log: string): string {
  const errors = log.split('\n').filter((l) => l.startsWith('ERROR'));
  return (errors.length ? errors : log.trim().split('\n')).slice(-2).join(' | ') || 'no message';
}
