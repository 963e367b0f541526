/**
 * The IVR simulator's programmatic entry: place a call to a VoiceXML URL, play the caller's script
 * (or ask an interactive input function), and report what was heard, what the application returned and
 * every document fetched.
 */
import type { FetchFn, FetchRecord } from './document.ts';
import { DEFAULT_FETCH_TIMEOUT_MS } from './document.ts';
import { parseStep, ScriptError, type CallerStep } from './script.ts';
import { Session, type CallEnding, type TraceEvent } from './session.ts';
import { DEFAULT_TRANSCRIPTION_GRAMMAR } from '../grammars.ts';

export type { CallEnding, TraceEvent } from './session.ts';
export type { CallerStep } from './script.ts';
export type { FetchRecord } from './document.ts';

export interface RunIvrCallOptions {
  url: string;
  /** Sent with the first request, as a calling IVR's `<subdialog namelist>` would (`message`, `from`, `to`…). */
  params?: Record<string, string>;
  /** Method of the first request: `post` when `params` are given, else `get`. */
  method?: 'get' | 'post';
  /** The caller's steps (`CallerStep`s or script lines); when they run out the caller hangs up. */
  script?: ReadonlyArray<CallerStep | string>;
  /** Interactive input instead of a script: the next step, or undefined to hang up. */
  input?: () => Promise<CallerStep | string | undefined>;
  /** Defaults to the global fetch. */
  fetch?: FetchFn;
  /** `session.connection.remote.uri` / `local.uri`. */
  caller?: string;
  called?: string;
  /** Grammar URI prefixes recognised as free-form speech (besides `builtin:` speech URIs). */
  freeFormGrammars?: string[];
  /** Guard against documents that loop: the call fails after this many document fetches (default 200). */
  maxDocuments?: number;
  /** Every prompt, caller step, fetch, log line, transfer and return as it happens. */
  onTrace?: (event: TraceEvent) => void;
}

export interface IvrCallResult {
  /** What the caller heard, prompt by prompt. */
  prompts: string[];
  transcript: Array<{ from: 'ivr' | 'caller'; text: string }>;
  /** The values of the last `<return>` (the calling IVR's view of a subdialog), if any. */
  returned?: Record<string, unknown>;
  ending: CallEnding;
  /** Every HTTP fetch (documents, `<data>`, grammars), with the response body. */
  documents: FetchRecord[];
  logs: string[];
  transfers: string[];
}

function toStep(step: CallerStep | string): CallerStep | undefined {
  if (typeof step !== 'string') return step;
  return parseStep(step);
}

export async function runIvrCall(options: RunIvrCallOptions): Promise<IvrCallResult> {
  const result: IvrCallResult = { prompts: [], transcript: [], ending: { kind: 'end' }, documents: [], logs: [], transfers: [] };
  const queue = (options.script ?? []).map((s, i) => {
    const step = toStep(s);
    if (!step) throw new ScriptError(`script step ${i + 1} is empty`);
    return step;
  });
  const input = async (): Promise<CallerStep | undefined> => {
    if (options.input) {
      for (;;) {
        const next = await options.input();
        if (next === undefined) return undefined;
        const step = toStep(next);
        if (step) return step;
      }
    }
    return queue.shift();
  };
  const trace = (event: TraceEvent) => {
    switch (event.type) {
      case 'prompt':
        result.prompts.push(event.text);
        result.transcript.push({ from: 'ivr', text: event.text });
        break;
      case 'caller':
        result.transcript.push({ from: 'caller', text: event.text });
        break;
      case 'fetch':
        result.documents.push(event.record);
        break;
      case 'log':
        result.logs.push(event.text);
        break;
      case 'transfer':
        result.transfers.push(event.destination);
        break;
      case 'return':
        result.returned = event.values;
        break;
    }
    options.onTrace?.(event);
  };
  const session = new Session({
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    input,
    trace,
    recognizer: { freeFormGrammars: [DEFAULT_TRANSCRIPTION_GRAMMAR, ...(options.freeFormGrammars ?? [])] },
    maxDocuments: options.maxDocuments ?? 200,
    ...(options.caller !== undefined ? { caller: options.caller } : {}),
    ...(options.called !== undefined ? { called: options.called } : {}),
  });
  const params = Object.entries(options.params ?? {});
  const method = options.method ?? (params.length ? 'post' : 'get');
  result.ending = await session.run({ url: options.url, method, params }, DEFAULT_FETCH_TIMEOUT_MS);
  return result;
}
