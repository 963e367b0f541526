/**
 * The imported bot as plain data, in the shape of the bot folder files (docs/bot-format.md): what
 * `bot.yaml`, `intents.yaml`, `entities.yaml` and `dialogs/*.yaml` will hold, plus what could not be mapped.
 */
import type { BuiltinEntityType, VoiceProperties } from '../../../core/bot.ts';
import type { Unmapped } from './vxml-source.ts';

export type PromptOut = string | { text: string; voice?: string; buttons?: Array<{ title: string; value: string }> };
export type TransitionOut = string | Array<{ if?: string; goto: string }>;

interface NodeBase {
  id: string;
  next?: TransitionOut;
}

export interface GrammarOut {
  mode?: 'voice' | 'dtmf';
  type?: string;
  src?: string;
  inline?: string;
}

export type NodeOut =
  | (NodeBase & { type: 'message'; prompt: PromptOut })
  | (NodeBase & {
      type: 'prompt';
      entity: string;
      variable?: string;
      prompt: PromptOut;
      retries?: number;
      noInput?: PromptOut[];
      noMatch?: PromptOut[];
      onExhausted?: string;
      voice?: VoiceProperties;
      grammars?: GrammarOut[];
    })
  | (NodeBase & { type: 'logic'; set?: Record<string, string> })
  | (NodeBase & {
      type: 'service';
      request: { method: 'GET' | 'POST'; url: string; body?: Record<string, string> };
    })
  | (NodeBase & { type: 'transfer'; queue?: string; target?: string; message?: string })
  | (NodeBase & { type: 'end'; prompt?: PromptOut; outcome?: 'resolved' | 'abandoned' });

export interface EntityOut {
  type: BuiltinEntityType;
  minLength?: number;
  maxLength?: number;
  values?: Array<string | { value: string; synonyms?: string[] }>;
}

export interface DialogOut {
  id: string;
  intent?: string;
  nodes: NodeOut[];
}

export interface BotOut {
  id: string;
  name: string;
  language?: string;
  welcome?: string;
  settings?: { ivr?: { transcription?: boolean; properties?: VoiceProperties } };
  responses?: Partial<Record<'greeting' | 'notUnderstood', PromptOut>>;
}

export interface ImportedBot {
  bot: BotOut;
  intents: Record<string, string[]>;
  entities: Record<string, EntityOut>;
  dialogs: DialogOut[];
  /** What could not be carried over (or only approximately), with file and line. */
  unmapped: Unmapped[];
}
