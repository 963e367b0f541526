/** What the parts of the interpreter share: the call (prompts out, caller steps in, fetches) and scopes. */
import { attr, childElements, type Element } from '../xml-dom.ts';
import type { FetchRecord, FetchRequest, LoadedDocument } from './document.ts';
import type { Scope } from './scope.ts';
import type { CallerStep } from './script.ts';

export type SubdialogResult = { values: Record<string, unknown> } | { event: string; message: string };

export interface Runtime {
  /** A prompt the caller hears (dropped once the caller is gone). */
  say(text: string): void;
  /** The caller's next step; throws CallOverSignal when the caller is already gone. */
  listen(): Promise<CallerStep>;
  readonly disconnected: boolean;
  disconnect(): void;
  fetch(kind: FetchRecord['kind'], request: FetchRequest, timeoutMs: number): Promise<{ url: string; body: string; fragment?: string }>;
  /** Loads a document for `<goto>`/`<submit>` (counted against the runaway guard). */
  load(request: FetchRequest, timeoutMs: number): Promise<LoadedDocument>;
  log(text: string): void;
  transfer(destination: string): void;
  runSubdialog(document: LoadedDocument, params: Record<string, unknown>): Promise<SubdialogResult>;
}

export interface DocContext {
  doc: LoadedDocument;
  /** The document scope (its parent is the application scope). */
  scope: Scope;
}

export interface ExecContext {
  rt: Runtime;
  doc: DocContext;
  scope: Scope;
  /** Elements from the innermost (form item) out, for properties. */
  chain: Element[];
  onReprompt?: () => void;
  clear?: (names: string[] | undefined) => void;
  /** The choices of the menu whose prompts are playing (for `<enumerate>`). */
  choices?: Array<{ prompt: string; dtmf?: string }>;
}

/** A `<property>` value from the innermost element outwards. */
export function propertyOf(name: string, chain: readonly Element[]): string | undefined {
  for (const element of chain) {
    const found = childElements(element, 'property').filter((p) => attr(p, 'name') === name);
    const last = found[found.length - 1];
    if (last) return attr(last, 'value');
  }
  return undefined;
}

/** A CSS2 time (`5s`, `300ms`) in milliseconds. */
export function durationMs(value: string | undefined): number | undefined {
  const m = value ? /^\+?([0-9]*\.?[0-9]+)(ms|s)$/.exec(value.trim()) : null;
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}
