/**
 * What the calling IVR receives when the Parley subdialog `<return>`s: the names and types of the return
 * variables (documented for IVR developers in this folder's README.md).
 *
 * Subdialog return values are ECMAScript values: booleans and strings here; structured data (entities,
 * transfer context) travels as a JSON string the calling IVR may `JSON.parse`. Every variable is always
 * present, with `''`/`false`/`'{}'` when it does not apply.
 */
import { ParleyError } from '../../errors.ts';

export interface ReturnNames {
  /** boolean: true when the conversation is complete; false when the bot hands control back mid-way (transfer, error). */
  endOfConversation: string;
  /** string: `resolved`, `escalated`, `abandoned`, or `''` when the conversation did not finish. */
  outcome: string;
  /** string: the last intent recognised, or `''`. */
  intent: string;
  /** string (JSON object): the entities collected, `{ "name": value }`. */
  entities: string;
  /** boolean: should the calling IVR transfer the caller now? */
  transfer: string;
  /** string: the queue to transfer to (escalation to human agents), or `''`. */
  transferQueue: string;
  /** string: the external target (phone number or SIP URI) to transfer to, or `''`. */
  transferTarget: string;
  /** string (JSON object): `{ reason, message, intent, entities, variables, transferInfo }` for the agent, or `'{}'`. */
  transferContext: string;
  /** string: the key of the conversation history (the agent's view of the bot conversation), or `''`. */
  historyKey: string;
  /** boolean: the call should end (the bot said goodbye and hangs up, or the caller hung up). */
  hangup: string;
  /** string: the VoiceXML event when something failed (`error.badfetch`…), or `''`. */
  error: string;
}

export const defaultReturnNames: ReturnNames = {
  endOfConversation: 'endOfConversation',
  outcome: 'outcome',
  intent: 'intent',
  entities: 'entities',
  transfer: 'transfer',
  transferQueue: 'transferQueue',
  transferTarget: 'transferTarget',
  transferContext: 'transferContext',
  historyKey: 'historyKey',
  hangup: 'hangup',
  error: 'error',
};

export type ReturnField = keyof ReturnNames;
export const returnFields = Object.keys(defaultReturnNames) as ReturnField[];

/** The values one `<return>` carries, before they are written as ECMAScript. */
export interface ReturnValues {
  endOfConversation: boolean;
  outcome: string;
  intent: string;
  entities: Record<string, unknown>;
  transfer: boolean;
  transferQueue: string;
  transferTarget: string;
  transferContext: Record<string, unknown>;
  historyKey: string;
  hangup: boolean;
  error: string;
}

export function emptyReturnValues(): ReturnValues {
  return {
    endOfConversation: true,
    outcome: '',
    intent: '',
    entities: {},
    transfer: false,
    transferQueue: '',
    transferTarget: '',
    transferContext: {},
    historyKey: '',
    hangup: false,
    error: '',
  };
}

/** A VoiceXML variable name: an ECMAScript identifier without dots, not starting with `_` or ending with `$`. */
const variableName = /^[\p{L}\p{Nl}$]([\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}$_]*[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}_])?$/u;
const reserved = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public'.split(
    ' ',
  ),
);

export function isVariableName(name: string): boolean {
  return variableName.test(name) && !reserved.has(name);
}

/** The configured names over the defaults; a name that is not a valid VoiceXML variable is a configuration error. */
export function resolveReturnNames(overrides: Partial<ReturnNames> = {}): ReturnNames {
  const names: ReturnNames = { ...defaultReturnNames, ...overrides };
  const seen = new Set<string>();
  for (const field of returnFields) {
    const name = names[field];
    if (!isVariableName(name)) {
      throw new ParleyError('PARLEY_ERR_CONFIG', `IVR return variable name "${name}" (for ${field}) is not a valid VoiceXML variable name`);
    }
    if (seen.has(name)) throw new ParleyError('PARLEY_ERR_CONFIG', `IVR return variable name "${name}" is used twice`);
    seen.add(name);
  }
  return names;
}

/** An ECMAScript literal for a value (strings single-quoted and escaped; objects as a JSON string literal). */
export function ecmaLiteral(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return `'${text.replace(/[\\'\n\r\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/** The ECMAScript expression each return variable is initialised with. */
export function returnExpressions(values: ReturnValues): Record<ReturnField, string> {
  return {
    endOfConversation: ecmaLiteral(values.endOfConversation),
    outcome: ecmaLiteral(values.outcome),
    intent: ecmaLiteral(values.intent),
    entities: ecmaLiteral(values.entities),
    transfer: ecmaLiteral(values.transfer),
    transferQueue: ecmaLiteral(values.transferQueue),
    transferTarget: ecmaLiteral(values.transferTarget),
    transferContext: ecmaLiteral(values.transferContext),
    historyKey: ecmaLiteral(values.historyKey),
    hangup: ecmaLiteral(values.hangup),
    error: ecmaLiteral(values.error),
  };
}
