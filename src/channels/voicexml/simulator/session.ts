/**
 * One simulated call: documents chained by `<goto>`/`<submit>`, subdialogs run as nested execution
 * contexts (fresh application, document and dialog scopes) whose `<return>` fills the caller's item,
 * and the call's ending. What the top-level document returns is what a calling IVR would receive.
 */
import { attr, childElements } from '../xml-dom.ts';
import { fetchText, findDialog, toDocument, type FetchFn, type FetchRecord, type FetchRequest, type LoadedDocument } from './document.ts';
import { evaluateIn } from './executable.ts';
import { runForm } from './form.ts';
import { runMenu } from './menu.ts';
import type { RecognizerOptions } from './recognizer.ts';
import type { DocContext, ExecContext, Runtime, SubdialogResult } from './runtime.ts';
import { Scope } from './scope.ts';
import { describeStep, type CallerStep } from './script.ts';
import { CallOverSignal, ExitSignal, NavigateSignal, ReturnSignal, VxmlEvent } from './signals.ts';

export type TraceEvent =
  | { type: 'prompt'; text: string }
  | { type: 'caller'; text: string }
  | { type: 'fetch'; record: FetchRecord }
  | { type: 'log'; text: string }
  | { type: 'transfer'; destination: string }
  /** A `<return>` with values: from a subdialog (`nested`) or from the top-level document. */
  | { type: 'return'; values: Record<string, unknown>; nested: boolean };

export type CallEnding =
  /** The top-level document returned: these are the values a calling IVR receives. */
  | { kind: 'return'; values: Record<string, unknown> }
  | { kind: 'return-event'; event: string; message: string }
  | { kind: 'exit'; value?: unknown }
  /** The caller hung up (or the script ran out) and the application had nothing more to do. */
  | { kind: 'hangup' }
  | { kind: 'transfer'; destination: string }
  /** The last dialog completed without a transition. */
  | { kind: 'end' }
  | { kind: 'error'; event: string; message: string };

export interface SessionOptions {
  fetch: FetchFn;
  /** The caller's next step; undefined when the script is over (the caller then hangs up). */
  input: () => Promise<CallerStep | undefined>;
  trace: (event: TraceEvent) => void;
  recognizer: RecognizerOptions;
  caller?: string;
  called?: string;
  maxDocuments: number;
}

export class Session implements Runtime {
  private gone = false;
  private loaded = 0;
  private readonly sessionScope = new Scope('session');

  constructor(private readonly options: SessionOptions) {
    this.sessionScope.declare('session', {
      connection: { remote: { uri: options.caller ?? '' }, local: { uri: options.called ?? '' }, protocol: { name: 'sip' } },
    });
  }

  get disconnected(): boolean {
    return this.gone;
  }

  say(text: string): void {
    if (!this.gone) this.options.trace({ type: 'prompt', text });
  }

  async listen(): Promise<CallerStep> {
    if (this.gone) throw new CallOverSignal('hangup');
    const step = (await this.options.input()) ?? { kind: 'hangup' as const };
    this.options.trace({ type: 'caller', text: describeStep(step) });
    return step;
  }

  disconnect(): void {
    this.gone = true;
  }

  log(text: string): void {
    this.options.trace({ type: 'log', text });
  }

  transfer(destination: string): void {
    this.options.trace({ type: 'transfer', destination });
  }

  fetch(kind: FetchRecord['kind'], request: FetchRequest, timeoutMs: number): Promise<{ url: string; body: string; fragment?: string }> {
    return fetchText(this.options.fetch, kind, request, timeoutMs, (record) => this.options.trace({ type: 'fetch', record }));
  }

  async load(request: FetchRequest, timeoutMs: number): Promise<LoadedDocument> {
    this.loaded += 1;
    if (this.loaded > this.options.maxDocuments) throw new ExitSignal('event', undefined, 'error.simulator.too-many-documents');
    return toDocument(await this.fetch('document', request, timeoutMs));
  }

  async runSubdialog(document: LoadedDocument, params: Record<string, unknown>): Promise<SubdialogResult> {
    const result = await this.runContext(document, params);
    if (result !== 'end' && 'values' in result) this.options.trace({ type: 'return', values: result.values, nested: true });
    // A subdialog that ends without <return> ends the whole call.
    if (result === 'end') throw new ExitSignal('exit');
    return result;
  }

  /** Runs documents from `first` until a `<return>` (or the end of the last dialog). */
  private async runContext(first: LoadedDocument, params: Record<string, unknown>): Promise<SubdialogResult | 'end'> {
    const app = this.sessionScope.child('application');
    let document = first;
    let dialogId = first.fragment;
    let dialogParams: Record<string, unknown> | undefined = params;
    for (;;) {
      const dctx: DocContext = { doc: document, scope: app.child('document') };
      try {
        this.initDocument(dctx);
        for (;;) {
          const dialog = findDialog(document.root, dialogId);
          if (!dialog) throw new VxmlEvent('error.badfetch', dialogId ? `no dialog #${dialogId} in ${document.url}` : `no dialog in ${document.url}`);
          try {
            const options = { recognizer: this.options.recognizer, ...(dialogParams ? { params: dialogParams } : {}) };
            if (dialog.localName === 'menu') await runMenu(dialog, dctx, this, options);
            else await runForm(dialog, dctx, this, options);
            return 'end';
          } catch (error) {
            if (error instanceof NavigateSignal && error.target.dialog !== undefined) {
              dialogId = error.target.dialog;
              dialogParams = undefined;
              continue;
            }
            throw error;
          }
        }
      } catch (error) {
        if (error instanceof NavigateSignal && error.target.document) {
          document = error.target.document;
          dialogId = document.fragment;
          dialogParams = undefined;
          continue;
        }
        if (error instanceof ReturnSignal) return error.result;
        throw error;
      }
    }
  }

  private initDocument(dctx: DocContext): void {
    const ctx: ExecContext = { rt: this, doc: dctx, scope: dctx.scope, chain: [dctx.doc.root] };
    for (const child of childElements(dctx.doc.root)) {
      if (child.localName === 'var') {
        const expr = attr(child, 'expr');
        dctx.scope.declare(attr(child, 'name') ?? '', expr === undefined ? undefined : evaluateIn(ctx, expr));
      } else if (child.localName === 'script') {
        throw new VxmlEvent('error.unsupported.script');
      } else if (child.localName === 'data') {
        this.log('document-level <data> is not simulated');
      }
    }
    if (attr(dctx.doc.root, 'application')) this.log('application root documents are not simulated');
  }

  async run(start: FetchRequest, timeoutMs: number): Promise<CallEnding> {
    try {
      const result = await this.runContext(await this.load(start, timeoutMs), {});
      if (result === 'end') return { kind: 'end' };
      if ('values' in result) this.options.trace({ type: 'return', values: result.values, nested: false });
      return 'values' in result ? { kind: 'return', values: result.values } : { kind: 'return-event', event: result.event, message: result.message };
    } catch (error) {
      if (error instanceof ExitSignal) return error.reason === 'event' ? { kind: 'error', event: error.event ?? 'error', message: typeof error.value === 'string' ? error.value : '' } : { kind: 'exit', value: error.value };
      if (error instanceof CallOverSignal) return error.how === 'transfer' ? { kind: 'transfer', destination: error.destination ?? '' } : { kind: 'hangup' };
      if (error instanceof VxmlEvent) return { kind: 'error', event: error.event, message: error.detail };
      if (error instanceof NavigateSignal) return { kind: 'error', event: 'error.badfetch', message: 'navigation outside a dialog' };
      throw error;
    }
  }
}
