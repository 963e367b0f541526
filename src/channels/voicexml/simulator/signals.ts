/**
 * Control transfers of the interpreter, thrown through the executable content that causes them: VoiceXML
 * events, navigation to another document or dialog, return from a subdialog, exit, and the end of the call.
 */
import type { LoadedDocument } from './document.ts';

/** A VoiceXML event (`noinput`, `error.badfetch.http.404`, `connection.disconnect.hangup`…). */
export class VxmlEvent extends Error {
  constructor(
    readonly event: string,
    readonly detail: string = '',
  ) {
    super(detail ? `${event}: ${detail}` : event);
    this.name = 'VxmlEvent';
  }
}

/** Go to another dialog of the current document, another document (already fetched), or a form item. */
export class NavigateSignal extends Error {
  constructor(readonly target: { document?: LoadedDocument; dialog?: string; item?: string }) {
    super('navigate');
    this.name = 'NavigateSignal';
  }
}

/** `<return>` from a subdialog: values (namelist) or an event for the caller. */
export class ReturnSignal extends Error {
  constructor(readonly result: { values: Record<string, unknown> } | { event: string; message: string }) {
    super('return');
    this.name = 'ReturnSignal';
  }
}

/** `<exit>` (or an unhandled event): the whole call ends. */
export class ExitSignal extends Error {
  constructor(
    readonly reason: 'exit' | 'event',
    readonly value?: unknown,
    readonly event?: string,
  ) {
    super(event ?? 'exit');
    this.name = 'ExitSignal';
  }
}

/** The caller is gone and the application wants input, or the call was transferred away: the call is over. */
export class CallOverSignal extends Error {
  constructor(readonly how: 'hangup' | 'transfer', readonly destination?: string) {
    super(how);
    this.name = 'CallOverSignal';
  }
}
