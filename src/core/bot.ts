/**
 * The bot model the dialog engine runs: the normalized, validated form of a bot folder.
 * Loading and validation live in `src/bot/`; this file only describes the shape.
 */

export type Channel = 'chat' | 'voice' | 'ivr';

/** One prompt with its per-channel variants. `voice` may be SSML (`<speak>…</speak>`). */
export interface Prompt {
  text: string;
  voice?: string;
  buttons?: Button[];
}

export interface Button {
  title: string;
  value: string;
}

export type BuiltinEntityType =
  | 'number'
  | 'digits'
  | 'date'
  | 'time'
  | 'money'
  | 'phone'
  | 'email'
  | 'yesno'
  | 'list'
  | 'regex'
  | 'composite'
  | 'text';

export interface ListValue {
  value: string;
  synonyms: string[];
}

export interface EntityDef {
  name: string;
  type: BuiltinEntityType;
  /** Masked in stored transcripts and logs (PINs, card numbers). */
  sensitive: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  values?: ListValue[];
  pattern?: string;
  /** For composites: the names of the entities it is made of. */
  parts?: string[];
}

export interface IntentDef {
  name: string;
  utterances: string[];
  description?: string;
}

/** A condition is an expression string in the small language of `expression.ts`. */
export interface Branch {
  if?: string;
  goto: string;
}

/** Where to go next: a node id of the same dialog, `dialog:<id>`, or `end`. Branches are tried in order. */
export type Transition = Branch[];

/** VoiceXML-style input properties; bot-level defaults overridden per node. Times in milliseconds. */
export interface VoiceProperties {
  timeout?: number;
  interdigittimeout?: number;
  termchar?: string;
  termtimeout?: number;
  completetimeout?: number;
  incompletetimeout?: number;
  maxspeechtimeout?: number;
  confidencelevel?: number;
  sensitivity?: number;
  speedvsaccuracy?: number;
  bargein?: boolean;
  bargeintype?: 'speech' | 'hotword';
  inputmodes?: 'dtmf' | 'voice' | 'dtmf voice';
  fetchtimeout?: number;
  fetchaudio?: string;
}

/** A grammar given by the bot author for voice channels (SRGS XML or ABNF, inline or by URI). */
export interface GrammarRef {
  mode: 'voice' | 'dtmf';
  type?: string;
  src?: string;
  inline?: string;
}

export type ExhaustedAction = { action: 'escalate' } | { action: 'end' } | { action: 'goto'; target: string };

interface NodeBase {
  id: string;
  next: Transition;
}

export interface MessageNode extends NodeBase {
  type: 'message';
  prompt: Prompt;
}

export interface PromptNode extends NodeBase {
  type: 'prompt';
  entity: string;
  /** Name under `entities.` where the value is stored; defaults to the entity name. */
  variable: string;
  prompt: Prompt;
  retries: number;
  noInput: Prompt[];
  noMatch: Prompt[];
  onExhausted: ExhaustedAction;
  sensitive: boolean;
  /** Skip the prompt when the variable already holds a value (slot filling from earlier turns). */
  skipIfFilled: boolean;
  voice: VoiceProperties;
  grammars: GrammarRef[];
}

export interface ConfirmNode extends NodeBase {
  type: 'confirm';
  prompt: Prompt;
  /** Branches taken on yes / no; `next` is unused for confirmations. */
  onYes: Transition;
  onNo: Transition;
  retries: number;
  noInput: Prompt[];
  noMatch: Prompt[];
  onExhausted: ExhaustedAction;
  voice: VoiceProperties;
}

export interface LogicNode extends NodeBase {
  type: 'logic';
  /** Assignments `scope.name: expression`, evaluated in order. */
  set: Array<{ variable: string; value: string }>;
}

export interface ServiceRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Templates with `{{…}}` placeholders. */
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export interface ServiceNode extends NodeBase {
  type: 'service';
  request: ServiceRequest;
  /** `scope.name: path.in.response` (paths start at `status`, `body` or `headers`). */
  response: Array<{ variable: string; path: string }>;
  /** Where to go when the call fails; absent means the bot's error handler. */
  onError?: string;
}

export interface TransferNode extends NodeBase {
  type: 'transfer';
  /** Queue (human agents through routing) or an external SIP/phone target. */
  queue?: string;
  target?: string;
  /** Note for the human agent. */
  message?: string;
  /** Extra data handed over, `name: expression`. */
  context: Array<{ name: string; value: string }>;
  /** Per-connector custom data (`transfer_info.target.<connector>.custom_data`). */
  transferInfo: Record<string, Record<string, string>>;
  agentAvailable?: Prompt;
  agentUnavailable?: Prompt;
  /** Where to go when no agent can take the customer; absent means back to the main menu. */
  onUnavailable?: string;
}

export interface EndNode extends NodeBase {
  type: 'end';
  prompt?: Prompt;
  outcome: 'resolved' | 'abandoned';
}

export type DialogNode = MessageNode | PromptNode | ConfirmNode | LogicNode | ServiceNode | TransferNode | EndNode;
export type NodeType = DialogNode['type'];

export interface Dialog {
  id: string;
  /** The intent that starts this dialog (the dialog's entry). */
  intent?: string;
  /** A channel or bot event that starts this dialog (e.g. `welcome`, `error`). */
  event?: string;
  /** May this dialog interrupt another one (a digression)? */
  digressionIn: boolean;
  /** May another dialog interrupt this one? */
  digressionOut: boolean;
  nodes: DialogNode[];
}

export interface StandardResponses {
  greeting: Prompt;
  notUnderstood: Prompt;
  goodbye: Prompt;
  agentAvailable: Prompt;
  agentUnavailable: Prompt;
  error: Prompt;
  /** Said after a dialog completes, when the conversation goes back to the main menu. */
  anythingElse: Prompt;
  /** Said when an interrupted dialog resumes after a digression. */
  resume: Prompt;
}

export interface IvrSettings {
  enabled: boolean;
  transcription: boolean;
  transcriptionEngine: string;
  dataKey: string;
  confidenceKey: string;
  /** 0–100 */
  confidenceThreshold: number;
  properties: VoiceProperties;
}

export interface BotSettings {
  /** Intent confidence below this is "not understood" (0–1). */
  nluThreshold: number;
  /** After this many consecutive not-understood turns the bot escalates. */
  maxNotUnderstood: number;
  /** Extra patterns (regular expressions) masked in transcripts and logs. */
  piiPatterns: string[];
  ivr: IvrSettings;
  /** Default queue for escalations that name none. */
  defaultQueue: string;
  /**
   * Minutes without a turn after which an active conversation (the bot's, not a human agent's) ends as the
   * customer leaving would: a chat window closed, an IVR that never reported its hang-up. 0: never.
   */
  idleTimeoutMinutes: number;
}

export interface ErrorHandler {
  /** A dialog to run on an internal error, or what to do directly. */
  dialog?: string;
  action: 'escalate' | 'end';
}

export interface Bot {
  id: string;
  name: string;
  language: string;
  settings: BotSettings;
  intents: IntentDef[];
  entities: Record<string, EntityDef>;
  dialogs: Record<string, Dialog>;
  responses: StandardResponses;
  /** Dialog run after the greeting when a conversation starts (the welcome event). */
  welcomeDialog?: string;
  errorHandler: ErrorHandler;
  /** Initial values of the `bot.` scope. */
  variables: Record<string, unknown>;
}
