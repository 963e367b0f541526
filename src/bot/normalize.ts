import type {
  Bot,
  Dialog,
  DialogNode,
  EntityDef,
  ExhaustedAction,
  GrammarRef,
  IntentDef,
  Prompt,
  Transition,
} from '../core/bot.ts';
import { defaultResponses, defaultRetries, defaultServiceTimeoutMs, defaultSettings } from './defaults.ts';
import type { nodeSchemas} from './schema.ts';
import { entityTypes, responseNames, type BotFile, type DialogFile, type EntitiesFile, type IntentsFile, type PromptInput, type TransitionInput } from './schema.ts';
import type { Static } from 'typebox';

type RawNode = { [K in keyof typeof nodeSchemas]: Static<(typeof nodeSchemas)[K]> }[keyof typeof nodeSchemas];

export function prompt(p: PromptInput): Prompt {
  if (typeof p === 'string') return { text: p };
  return { text: p.text, ...(p.voice !== undefined ? { voice: p.voice } : {}), ...(p.buttons ? { buttons: p.buttons } : {}) };
}

export function transition(t: TransitionInput | undefined): Transition {
  if (t === undefined) return [];
  if (typeof t === 'string') return [{ goto: t }];
  return t.map((b) => (b.if === undefined ? { goto: b.goto } : { if: b.if, goto: b.goto }));
}

function exhausted(v: string | undefined): ExhaustedAction {
  if (v === undefined || v === 'escalate') return { action: 'escalate' };
  if (v === 'end') return { action: 'end' };
  return { action: 'goto', target: v.slice('goto:'.length) };
}

function grammar(g: { mode?: 'voice' | 'dtmf'; type?: string; src?: string; inline?: string }): GrammarRef {
  return { mode: g.mode ?? 'voice', ...(g.type ? { type: g.type } : {}), ...(g.src ? { src: g.src } : {}), ...(g.inline ? { inline: g.inline } : {}) };
}

function node(raw: RawNode): DialogNode {
  const next = transition(raw.next);
  switch (raw.type) {
    case 'message':
      return { id: raw.id, type: 'message', next, prompt: prompt(raw.prompt) };
    case 'prompt':
      return {
        id: raw.id,
        type: 'prompt',
        next,
        entity: raw.entity,
        variable: raw.variable ?? raw.entity,
        prompt: prompt(raw.prompt),
        retries: raw.retries ?? defaultRetries,
        noInput: (raw.noInput ?? []).map(prompt),
        noMatch: (raw.noMatch ?? []).map(prompt),
        onExhausted: exhausted(raw.onExhausted),
        sensitive: raw.sensitive ?? false,
        skipIfFilled: raw.skipIfFilled ?? true,
        voice: raw.voice ?? {},
        grammars: (raw.grammars ?? []).map(grammar),
      };
    case 'confirm':
      return {
        id: raw.id,
        type: 'confirm',
        next,
        prompt: prompt(raw.prompt),
        onYes: raw.onYes === undefined ? next : transition(raw.onYes),
        onNo: transition(raw.onNo),
        retries: raw.retries ?? defaultRetries,
        noInput: (raw.noInput ?? []).map(prompt),
        noMatch: (raw.noMatch ?? []).map(prompt),
        onExhausted: exhausted(raw.onExhausted),
        voice: raw.voice ?? {},
      };
    case 'logic':
      return { id: raw.id, type: 'logic', next, set: Object.entries(raw.set ?? {}).map(([variable, value]) => ({ variable, value })) };
    case 'service':
      return {
        id: raw.id,
        type: 'service',
        next,
        request: {
          method: (raw.request.method ?? 'GET'),
          url: raw.request.url,
          headers: raw.request.headers ?? {},
          ...(raw.request.body !== undefined ? { body: raw.request.body } : {}),
          timeoutMs: raw.request.timeoutMs ?? defaultServiceTimeoutMs,
        },
        response: Object.entries(raw.response ?? {}).map(([variable, path]) => ({ variable, path })),
        ...(raw.onError !== undefined ? { onError: raw.onError } : {}),
      };
    case 'transfer':
      return {
        id: raw.id,
        type: 'transfer',
        next,
        ...(raw.queue !== undefined ? { queue: raw.queue } : {}),
        ...(raw.target !== undefined ? { target: raw.target } : {}),
        ...(raw.message !== undefined ? { message: raw.message } : {}),
        context: Object.entries(raw.context ?? {}).map(([name, value]) => ({ name, value })),
        transferInfo: raw.transferInfo ?? {},
        ...(raw.agentAvailable !== undefined ? { agentAvailable: prompt(raw.agentAvailable) } : {}),
        ...(raw.agentUnavailable !== undefined ? { agentUnavailable: prompt(raw.agentUnavailable) } : {}),
        ...(raw.onUnavailable !== undefined ? { onUnavailable: raw.onUnavailable } : {}),
      };
    case 'end':
      return {
        id: raw.id,
        type: 'end',
        next,
        ...(raw.prompt !== undefined ? { prompt: prompt(raw.prompt) } : {}),
        outcome: raw.outcome ?? 'resolved',
      };
  }
}

export function dialog(raw: DialogFile): Dialog {
  return {
    id: raw.id,
    ...(raw.intent !== undefined ? { intent: raw.intent } : {}),
    ...(raw.event !== undefined ? { event: raw.event } : {}),
    digressionIn: raw.digression?.in ?? true,
    digressionOut: raw.digression?.out ?? true,
    nodes: (raw.nodes as RawNode[]).map(node),
  };
}

export function entities(raw: EntitiesFile | undefined, dialogs: Dialog[]): Record<string, EntityDef> {
  const out: Record<string, EntityDef> = {};
  for (const [name, e] of Object.entries(raw?.entities ?? {})) {
    out[name] = {
      name,
      type: e.type,
      sensitive: e.sensitive ?? false,
      ...(e.minLength !== undefined ? { minLength: e.minLength } : {}),
      ...(e.maxLength !== undefined ? { maxLength: e.maxLength } : {}),
      ...(e.min !== undefined ? { min: e.min } : {}),
      ...(e.max !== undefined ? { max: e.max } : {}),
      ...(e.values ? { values: e.values.map((v) => (typeof v === 'string' ? { value: v, synonyms: [] } : { value: v.value, synonyms: v.synonyms ?? [] })) } : {}),
      ...(e.pattern !== undefined ? { pattern: e.pattern } : {}),
      ...(e.parts ? { parts: e.parts } : {}),
    };
  }
  // A prompt may name a built-in type directly (`entity: date`) without declaring it.
  for (const d of dialogs) {
    for (const n of d.nodes) {
      if (n.type === 'prompt' && !out[n.entity] && (entityTypes as readonly string[]).includes(n.entity)) {
        out[n.entity] = { name: n.entity, type: n.entity as EntityDef['type'], sensitive: false };
      }
    }
  }
  return out;
}

export function intents(raw: IntentsFile | undefined): IntentDef[] {
  return Object.entries(raw?.intents ?? {}).map(([name, v]) =>
    Array.isArray(v) ? { name, utterances: v } : { name, utterances: v.utterances, ...(v.description ? { description: v.description } : {}) },
  );
}

export function bot(raw: BotFile, parts: { intents: IntentDef[]; entities: Record<string, EntityDef>; dialogs: Dialog[] }): Bot {
  const s = raw.settings ?? {};
  const responses = { ...defaultResponses };
  for (const name of responseNames) {
    const r = raw.responses?.[name];
    if (r !== undefined) responses[name] = prompt(r);
  }
  return {
    id: raw.id,
    name: raw.name,
    language: raw.language ?? 'en',
    settings: {
      nluThreshold: s.nluThreshold ?? defaultSettings.nluThreshold,
      maxNotUnderstood: s.maxNotUnderstood ?? defaultSettings.maxNotUnderstood,
      piiPatterns: s.piiPatterns ?? [],
      defaultQueue: s.defaultQueue ?? defaultSettings.defaultQueue,
      idleTimeoutMinutes: s.idleTimeoutMinutes ?? defaultSettings.idleTimeoutMinutes,
      ivr: { ...defaultSettings.ivr, ...(s.ivr ?? {}), properties: s.ivr?.properties ?? {} },
    },
    intents: parts.intents,
    entities: parts.entities,
    dialogs: Object.fromEntries(parts.dialogs.map((d) => [d.id, d])),
    responses,
    ...(raw.welcome !== undefined ? { welcomeDialog: raw.welcome } : {}),
    errorHandler: {
      ...(raw.errorHandler?.dialog !== undefined ? { dialog: raw.errorHandler.dialog } : {}),
      action: raw.errorHandler?.action ?? 'escalate',
    },
    variables: raw.variables ?? {},
  };
}
