import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError } from 'commander';
import { validateVxmlDocuments } from '../../../channels/voicexml/validate.ts';
import { parseScript, type CallerStep } from '../../../channels/voicexml/simulator/script.ts';
import { runIvrCall, type FetchRecord, type IvrCallResult, type TraceEvent } from '../../../channels/voicexml/simulator/run-ivr-call.ts';
import type { FetchFn } from '../../../channels/voicexml/simulator/document.ts';

/** Where the command reads and writes; tests replace it. */
export interface IvrCallIo {
  out: (text: string) => void;
  err: (text: string) => void;
  input: NodeJS.ReadableStream;
  interactive: boolean;
  /** Receives the exit code (default: sets process.exitCode). */
  exit: (code: number) => void;
  fetch?: FetchFn;
}

interface CallOptions {
  script?: string;
  param: string[];
  method?: 'get' | 'post';
  caller: string;
  called?: string;
  validate?: boolean;
  showDocuments?: boolean;
  json?: boolean;
  freeForm?: string[];
}

function keyValue(value: string, previous: string[]): string[] {
  if (!/^[^=]+=/.test(value)) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return [...previous, value];
}

function method(value: string): 'get' | 'post' {
  const m = value.toLowerCase();
  if (m !== 'get' && m !== 'post') throw new InvalidArgumentError('get or post');
  return m;
}

/** A URL as printed: the JWT of `?token=` is not shown. */
function shown(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/g, '$1…');
}

function traceLine(event: TraceEvent): string | undefined {
  switch (event.type) {
    case 'prompt':
      return `IVR:    ${event.text}`;
    case 'caller':
      return `CALLER: ${event.text}`;
    case 'fetch':
      return `        → ${event.record.method.toUpperCase()} ${shown(event.record.url)} ${event.record.status || 'failed'}`;
    case 'log':
      return `        log: ${event.text}`;
    case 'transfer':
      return `        ⇢ transfer to ${event.destination}`;
    case 'return':
      return `        ⇠ ${event.nested ? 'subdialog returned' : 'returned'} ${JSON.stringify(event.values)}`;
  }
}

async function scriptFrom(io: IvrCallIo, file: string | undefined): Promise<CallerStep[] | undefined> {
  if (file) return parseScript(await readFile(file, 'utf8'));
  if (io.interactive) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of io.input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return parseScript(Buffer.concat(chunks).toString('utf8'));
}

async function reportValidation(io: IvrCallIo, documents: FetchRecord[]): Promise<number> {
  const vxml = documents.filter((d) => d.kind === 'document' && d.status >= 200 && d.status < 300);
  const results = await validateVxmlDocuments(vxml.map((d) => d.body));
  let invalid = 0;
  results.forEach((r, i) => {
    if (r.valid) return;
    invalid += 1;
    io.err(`invalid VoiceXML from ${shown(vxml[i]?.url ?? '?')}:\n${r.errors.map((e) => `  line ${e.line ?? '?'}: ${e.message}`).join('\n')}\n`);
  });
  io.out(`validation: ${vxml.length - invalid} of ${vxml.length} documents valid against VoiceXML 2.1\n`);
  return invalid;
}

function summary(result: IvrCallResult): string {
  const e = result.ending;
  const how =
    e.kind === 'error'
      ? `error ${e.event}${e.message ? ` (${e.message})` : ''}`
      : e.kind === 'transfer'
        ? `transfer to ${e.destination}`
        : e.kind === 'return-event'
          ? `returned event ${e.event}`
          : e.kind;
  return `call ended: ${how}\n${result.returned ? `returned to the calling IVR:\n${JSON.stringify(result.returned, null, 2)}\n` : ''}`;
}

async function runCall(url: string, options: CallOptions, io: IvrCallIo): Promise<number> {
  const script = await scriptFrom(io, options.script);
  const params = Object.fromEntries(options.param.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  let rl: ReturnType<typeof createInterface> | undefined;
  if (!script) {
    rl = createInterface({ input: io.input, output: process.stdout, terminal: true });
    io.out('Type what the caller says; dtmf:1234 for keys, silence for no input, hangup to hang up.\n');
  }
  const reader = rl;
  try {
    const result = await runIvrCall({
      url,
      params,
      caller: options.caller,
      ...(options.called ? { called: options.called } : {}),
      ...(options.method ? { method: options.method } : {}),
      ...(script ? { script } : {}),
      ...(reader ? { input: async () => (await reader.question('caller> ').catch(() => 'hangup')) || 'silence' } : {}),
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(options.freeForm ? { freeFormGrammars: options.freeForm } : {}),
      onTrace: (event) => {
        if (event.type === 'caller' && reader) return;
        const line = traceLine(event);
        if (line) io.out(`${line}\n`);
        if (event.type === 'fetch' && options.showDocuments && event.record.body) io.out(`${event.record.body}\n`);
      },
    });
    if (options.json) io.out(`${JSON.stringify({ ...result, documents: result.documents.map((d) => ({ ...d, url: shown(d.url) })) }, null, 2)}\n`);
    else io.out(summary(result));
    const invalid = options.validate ? await reportValidation(io, result.documents) : 0;
    return result.ending.kind === 'error' || invalid > 0 ? 1 : 0;
  } finally {
    rl?.close();
  }
}

/** `parley ivr call <url>`: the IVR simulator. */
export function ivrCallCommand(io: Partial<IvrCallIo> = {}): Command {
  const streams: IvrCallIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    input: process.stdin,
    interactive: process.stdin.isTTY,
    exit: (code) => {
      process.exitCode = code;
    },
    ...io,
  };
  const call = new Command('call')
    .description('call a VoiceXML application as a caller through an IVR would: prompts as text, input from a script or typed')
    .argument('<url>', "the first document: a VoiceXML application, or Parley's /ivr/hooks/<botId>?token=… webhook")
    .option('-s, --script <file>', 'caller steps, one per line: words, "words [0.4]" (ASR confidence), dtmf:1234, silence, hangup (default: typed, or stdin)')
    .option('-p, --param <key=value>', 'a parameter of the first request, as a calling IVR sends them (message, from, to, custom); repeatable', keyValue, [])
    .option('--method <method>', 'method of the first request (default: post with --param, else get)', method)
    .option('--caller <uri>', "the caller's address (session.connection.remote.uri)", 'tel:+15555550100')
    .option('--called <uri>', 'the number called (session.connection.local.uri)')
    .option('--free-form <prefix...>', 'grammar URI prefixes to accept as free-form speech (an ASR engine URI)')
    .option('--validate', 'check every document fetched against the W3C VoiceXML 2.1 schema')
    .option('--show-documents', 'print every document fetched')
    .option('--json', 'print the whole result as JSON')
    .action(async (url: string, options: CallOptions) => {
      streams.exit(await runCall(url, options, streams));
    });
  return new Command('ivr').description('IVR channel tools').addCommand(call);
}
