/**
 * Actions of the dialog engine → one VoiceXML 2.1 document, run by the calling IVR inside the
 * `<subdialog>` that called Parley's webhook. Pure: the same actions and options give the same document.
 *
 * Three kinds of document (see plan.ts): a turn that plays the prompts and collects the caller's answer
 * in a field submitted back to Parley; a final document that plays the prompts and `<return>`s to the
 * calling IVR (contract in return-contract.ts); a `continue` document for steps that wait on Parley.
 * Every document catches the caller's hang-up and errors, tells Parley (a `<data>` post, so the document
 * keeps control) and returns.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Action, AskAction } from '../../core/action.ts';
import type { IvrSettings, Prompt, VoiceProperties } from '../../core/bot.ts';
import { fieldGrammars, idAllocator, type GrammarSpec } from './grammars.ts';
import { ivrParamNames, type IvrEventName, type IvrParamNames } from './params.ts';
import { planDocument, type Finish } from './plan.ts';
import { overridingProperties, vxmlProperties } from './properties.ts';
import { emptyReturnValues, resolveReturnNames, returnExpressions, returnFields, ecmaLiteral, type ReturnNames, type ReturnValues } from './return-contract.ts';
import { ssmlToPromptParts } from './ssml.ts';
import { appendParts, isLanguageTag } from './xml-tree.ts';

export const VXML_NS = 'http://www.w3.org/2001/vxml';
const GUARD = 'parley_failed';

/** What the conversation knows that the return carries (the actions carry the rest). */
export interface ConversationSummary {
  intent?: string;
  entities?: Record<string, unknown>;
  /** The session-history key (the agent's view of this conversation). */
  historyKey?: string;
  /** Entities whose values are sensitive (PINs, card numbers): returned as `****`. */
  sensitive?: readonly string[];
}

export const MASK = '****';

function masked(entities: Record<string, unknown>, sensitive: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entities).map(([k, v]) => [k, sensitive.includes(k) ? MASK : v]));
}

export interface IvrRenderOptions {
  /** The bot's IVR settings: transcription, data keys, confidence threshold, bot-level properties. */
  settings: IvrSettings;
  /** Where documents submit input and events: the webhook URL with the token and the session reference. */
  submitUrl: string;
  /** HTTP method of submits; default `post`. */
  method?: 'get' | 'post';
  /** The bot's language (`xml:lang` of the document). */
  language?: string;
  /** Names of the return variables, over `defaultReturnNames`. */
  returnNames?: Partial<ReturnNames>;
  conversation?: ConversationSummary;
  /**
   * The URL (or path) of the bot's intent grammar (`IntentGrammars.pathFor`): the grammar of open questions
   * when the bot does not transcribe, with the buttons' titles. Without it such a question listens to the
   * buttons alone, or to the transcription grammar when it has none.
   */
  intentGrammar?: string;
  /** Told about what had to be left out or replaced (a broken inline grammar…); nothing personal is passed. */
  onWarning?: (message: string) => void;
}

interface Ctx {
  options: IvrRenderOptions;
  names: ReturnNames;
  params: IvrParamNames;
  method: 'get' | 'post';
  warn: (message: string) => void;
}

/**
 * The bot-level properties of every document: the IvrSettings properties, with the ASR confidence
 * threshold (0–100) as `confidencelevel` unless the properties set one.
 */
export function botLevelProperties(settings: IvrSettings): VoiceProperties {
  const threshold = settings.confidenceThreshold;
  return Number.isFinite(threshold) && threshold > 0 ? { confidencelevel: threshold, ...settings.properties } : settings.properties;
}

function writePrompt(parent: XMLBuilder, prompt: Prompt): void {
  const parts = (prompt.voice ? ssmlToPromptParts(prompt.voice) : undefined) ?? [prompt.text];
  if (parts.every((p) => typeof p === 'string' && p.trim() === '')) return;
  appendParts(parent.ele('prompt'), parts);
}

function writeSubmit(parent: XMLBuilder, ctx: Ctx, namelist: string[]): void {
  parent.ele('submit', { next: ctx.options.submitUrl, method: ctx.method, namelist: namelist.join(' ') });
}

function writeEventSubmit(parent: XMLBuilder, ctx: Ctx, event: IvrEventName): void {
  parent.ele('assign', { name: ctx.params.event, expr: ecmaLiteral(event) });
  writeSubmit(parent, ctx, [ctx.params.event]);
}

function writeReturn(parent: XMLBuilder, ctx: Ctx): void {
  parent.ele('return', { namelist: returnFields.map((f) => ctx.names[f]).join(' ') });
}

/** Document-level declarations shared by every document: properties, return variables, catches. */
function startDocument(ctx: Ctx, values: ReturnValues, reportsToParley: boolean): { doc: XMLBuilder; root: XMLBuilder } {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const attrs: Record<string, string> = { version: '2.1' };
  const language = ctx.options.language?.trim();
  if (language && isLanguageTag(language)) attrs['xml:lang'] = language;
  const root = doc.ele(VXML_NS, 'vxml', attrs);
  for (const p of vxmlProperties(botLevelProperties(ctx.options.settings))) root.ele('property', p);
  const exprs = returnExpressions(values);
  for (const field of returnFields) root.ele('var', { name: ctx.names[field], expr: exprs[field] });
  root.ele('var', { name: ctx.params.event, expr: "''" });
  root.ele('var', { name: ctx.params.eventDetail, expr: "''" });
  root.ele('var', { name: GUARD, expr: String(!reportsToParley) });

  const hangup = root.ele('catch', { event: 'connection.disconnect.hangup' });
  hangup.ele('assign', { name: ctx.names.hangup, expr: 'true' });
  hangup.ele('assign', { name: ctx.names.endOfConversation, expr: 'true' });
  reportOnce(hangup, ctx, 'hangup', false);
  writeReturn(hangup, ctx);

  const error = root.ele('catch', { event: 'error' });
  error.ele('assign', { name: ctx.names.error, expr: '_event' });
  error.ele('if', { cond: `${ctx.names.hangup} == false` }).ele('assign', { name: ctx.names.endOfConversation, expr: 'false' });
  reportOnce(error, ctx, 'error', true);
  writeReturn(error, ctx);
  return { doc, root };
}

/** Tells Parley about an event without leaving the document; guarded so a failing post is not retried. */
function reportOnce(parent: XMLBuilder, ctx: Ctx, event: IvrEventName, withDetail: boolean): void {
  const guarded = parent.ele('if', { cond: `${GUARD} == false` });
  guarded.ele('assign', { name: GUARD, expr: 'true' });
  guarded.ele('assign', { name: ctx.params.event, expr: ecmaLiteral(event) });
  const namelist = [ctx.params.event];
  if (withDetail) {
    guarded.ele('assign', { name: ctx.params.eventDetail, expr: '_event' });
    namelist.push(ctx.params.eventDetail);
  }
  guarded.ele('data', { src: ctx.options.submitUrl, method: ctx.method, namelist: namelist.join(' ') });
}

function writeGrammar(parent: XMLBuilder, g: GrammarSpec): void {
  switch (g.kind) {
    case 'src': {
      const attrs: Record<string, string> = { src: g.src };
      if (g.type) attrs.type = g.type;
      if (g.mode && !g.src.startsWith('builtin:')) attrs.mode = g.mode;
      parent.ele('grammar', attrs);
      return;
    }
    case 'abnf':
      parent.ele('grammar', { type: 'application/srgs', mode: g.mode }).txt(g.text);
      return;
    case 'srgs':
      appendParts(parent.ele('grammar', { type: 'application/srgs+xml', ...g.attrs }), g.children);
      return;
  }
}

function writeRetries(field: XMLBuilder, ctx: Ctx, kind: 'noinput' | 'nomatch', prompts: readonly Prompt[], retries: number): void {
  const allowed = Math.max(0, Math.floor(retries));
  for (let count = 1; count <= allowed; count++) {
    const handler = field.ele(kind, { count: String(count) });
    const prompt = prompts[Math.min(count, prompts.length) - 1];
    // The node's retry prompt re-asks by itself; without one the question is played again.
    if (prompt) writePrompt(handler, prompt);
    else handler.ele('reprompt');
  }
  writeEventSubmit(field.ele(kind, { count: String(allowed + 1) }), ctx, kind);
}

function renderAsk(ctx: Ctx, lead: Prompt[], question: Prompt | undefined, ask: AskAction): string {
  const { doc, root } = startDocument(ctx, conversationValues(ctx), true);
  const { value, confidence, inputMode } = ctx.params;
  const form = root.ele('form', { id: 'parley' });
  form.ele('var', { name: confidence, expr: "''" });
  form.ele('var', { name: inputMode, expr: "''" });
  if (lead.length) {
    const block = form.ele('block', { name: 'parley_lead' });
    for (const p of lead) writePrompt(block, p);
  }
  const field = form.ele('field', { name: value });
  for (const p of overridingProperties(botLevelProperties(ctx.options.settings), ask.voice)) field.ele('property', p);
  const grammars = fieldGrammars({
    ask,
    settings: ctx.options.settings,
    buttons: question?.buttons ?? [],
    ids: idAllocator(),
    warn: ctx.warn,
    ...(ctx.options.language ? { language: ctx.options.language } : {}),
    ...(ctx.options.intentGrammar ? { intentGrammar: ctx.options.intentGrammar } : {}),
  });
  for (const g of grammars) writeGrammar(field, g);
  if (question) writePrompt(field, question);
  writeRetries(field, ctx, 'noinput', ask.noInput, ask.retries);
  writeRetries(field, ctx, 'nomatch', ask.noMatch, ask.retries);
  const filled = field.ele('filled');
  filled.ele('assign', { name: confidence, expr: `${value}$.confidence` });
  filled.ele('assign', { name: inputMode, expr: `${value}$.inputmode` });
  writeSubmit(filled, ctx, [value, confidence, inputMode]);
  return doc.end();
}

function conversationValues(ctx: Ctx): ReturnValues {
  const conv = ctx.options.conversation ?? {};
  return {
    ...emptyReturnValues(),
    intent: conv.intent ?? '',
    entities: masked(conv.entities ?? {}, conv.sensitive),
    historyKey: conv.historyKey ?? '',
  };
}

export function finishValues(finish: Finish, conversation: ConversationSummary = {}): ReturnValues {
  const values: ReturnValues = {
    ...emptyReturnValues(),
    intent: conversation.intent ?? '',
    entities: masked(conversation.entities ?? {}, conversation.sensitive),
    historyKey: conversation.historyKey ?? '',
    hangup: finish.hangup,
    outcome: finish.outcome ?? '',
  };
  if (finish.kind === 'end') return values;
  const c = finish.context;
  const intent = c.intent ?? values.intent;
  const entities = masked(c.entities, conversation.sensitive);
  return {
    ...values,
    endOfConversation: false,
    outcome: finish.outcome ?? 'escalated',
    intent,
    entities,
    transfer: true,
    transferQueue: finish.kind === 'escalate' ? finish.queue : '',
    transferTarget: finish.kind === 'transfer' ? finish.target : '',
    transferContext: {
      reason: c.reason,
      ...(c.message !== undefined ? { message: c.message } : {}),
      intent,
      entities,
      variables: c.variables,
      transferInfo: c.transferInfo,
    },
  };
}

function renderFinal(ctx: Ctx, prompts: Prompt[], values: ReturnValues): string {
  const { doc, root } = startDocument(ctx, values, false);
  const block = root.ele('form', { id: 'parley' }).ele('block');
  for (const p of prompts) writePrompt(block, p);
  writeReturn(block, ctx);
  return doc.end();
}

function renderContinue(ctx: Ctx, prompts: Prompt[]): string {
  const { doc, root } = startDocument(ctx, conversationValues(ctx), true);
  const block = root.ele('form', { id: 'parley' }).ele('block');
  for (const p of prompts) writePrompt(block, p);
  writeEventSubmit(block, ctx, 'continue');
  return doc.end();
}

function context(options: IvrRenderOptions): Ctx {
  return {
    options,
    names: resolveReturnNames(options.returnNames),
    params: ivrParamNames(options.settings),
    method: options.method ?? 'post',
    warn: options.onWarning ?? (() => {}),
  };
}

/** The VoiceXML document for the actions of one engine step. */
export function renderVxml(actions: readonly Action[], options: IvrRenderOptions): string {
  const ctx = context(options);
  const plan = planDocument(actions);
  switch (plan.kind) {
    case 'ask':
      return renderAsk(ctx, plan.lead, plan.question, plan.ask);
    case 'return':
      return renderFinal(ctx, plan.prompts, finishValues(plan.finish, options.conversation));
    case 'continue':
      return renderContinue(ctx, plan.prompts);
  }
}

/**
 * A document that hands control straight back to the calling IVR because Parley cannot run the
 * conversation (bad token, unknown bot, internal error): `endOfConversation` false and `error` set, so the
 * IVR can route the caller elsewhere. `prompt` is played first when given.
 */
export function renderVxmlFailure(options: IvrRenderOptions & { error: string; prompt?: Prompt }): string {
  const ctx = context(options);
  const values: ReturnValues = { ...conversationValues(ctx), endOfConversation: false, error: options.error };
  return renderFinal(ctx, options.prompt ? [options.prompt] : [], values);
}
