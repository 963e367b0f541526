/**
 * One VoiceXML dialog → one bot dialog. A form's items become nodes in order (`<block>` content as
 * messages, logic and jumps; `<field>` as a prompt node with its entity, retry prompts, exhausted
 * behaviour and properties; `<transfer>` as a transfer node); a menu that is not the main menu becomes a
 * prompt on a list entity of its choices with a branch per choice.
 */
import type { DialogOut, EntityOut, NodeOut, PromptOut } from './bot-shape.ts';
import { attr, childElements, childNodes, isElement, type Element, type Node } from '../xml-dom.ts';
import { DialogBuilder } from './dialog-builder.ts';
import { translateExpression, variableMap, type VariableMap } from './expressions.ts';
import { fieldEntity } from './field-entity.ts';
import { grammarChoices, inlineGrammar } from './grammar-phrases.ts';
import { promptFrom, type PromptContext } from './prompts.ts';
import { voiceProperties } from './properties.ts';
import { toId, type SourceDialog, type VxmlApplication } from './vxml-source.ts';

export interface MapContext {
  app: VxmlApplication;
  mainMenu?: SourceDialog;
  /** Declares an entity for a field; returns the entity name to use (unique over the bot). */
  declareEntity: (field: string, entity: EntityOut, dialog: string) => string;
}

interface Scope {
  ctx: MapContext;
  dialog: SourceDialog;
  b: DialogBuilder;
  vars: VariableMap;
  note: (node: Node | undefined, reason: string) => void;
  prompt: PromptContext;
}

type Target = string | undefined;

/** `next` for a VoiceXML URI: the main menu is `menu`, another dialog `dialog:<id>`, a form item its node. */
function targetOf(s: Scope, node: Element, uri: string): Target {
  const found = s.ctx.app.resolve(s.dialog.file, uri);
  if (!found) {
    s.note(node, `target ${uri} is not a dialog of the imported documents`);
    return undefined;
  }
  if (found === s.ctx.mainMenu) return 'menu';
  return found === s.dialog ? undefined : `dialog:${found.id}`;
}

function containsTransfer(e: Element): boolean {
  return childElements(e).some((c) => c.localName === 'transfer' || containsTransfer(c));
}

function content(s: Scope, nodes: readonly Node[]): void {
  for (const node of nodes) {
    if (!isElement(node)) {
      const text = (node.nodeValue ?? '').trim();
      if (text) s.b.say(text);
      continue;
    }
    element(s, node);
  }
}

function setVariable(s: Scope, node: Element, name: string, expr: string | undefined): void {
  const variable = s.vars(name);
  const value = expr === undefined ? 'null' : translateExpression(expr, s.vars);
  if (!variable || value === undefined) return s.note(node, `${name} = ${expr ?? ''} cannot be written in the bot expression language`);
  const last = s.b.last;
  if (last?.type === 'logic' && last.next === undefined && s.b.takePending() === undefined) {
    last.set = { ...(last.set ?? {}), [variable]: value };
    return;
  }
  s.b.push({ id: s.b.id(`set_${name}`), type: 'logic', set: { [variable]: value } });
}

function element(s: Scope, node: Element): void {
  const name = node.localName ?? '';
  switch (name) {
    case 'prompt':
    case 'audio':
    case 'value':
    case 'enumerate': {
      const p = promptFrom(name === 'prompt' ? childNodes(node) : [node], s.prompt);
      if (p !== undefined) s.b.say(p);
      return;
    }
    case 'var':
    case 'assign':
      return setVariable(s, node, attr(node, 'name') ?? '', attr(node, 'expr'));
    case 'clear':
      for (const n of (attr(node, 'namelist') ?? '').split(/\s+/).filter(Boolean)) setVariable(s, node, n, undefined);
      return;
    case 'if':
      return ifElement(s, node);
    case 'goto': {
      const item = attr(node, 'nextitem');
      if (item !== undefined) return s.b.jump(toId(item, 'node'));
      const uri = attr(node, 'next');
      if (uri === undefined) return s.note(node, 'goto with expr or expritem cannot be imported');
      const target = targetOf(s, node, uri);
      if (target) s.b.jump(target);
      return;
    }
    case 'submit':
      return submit(s, node);
    case 'exit':
    case 'disconnect':
    case 'return': {
      if (name === 'return') s.note(node, '<return> ends the conversation in the imported bot');
      const prompt = s.b.takePending();
      s.b.push({ id: s.b.id('end'), type: 'end', outcome: 'resolved', ...(prompt !== undefined ? { prompt } : {}) });
      return;
    }
    case 'reprompt':
      return s.note(node, '<reprompt> outside a no-input/no-match handler is not carried over');
    default:
      return s.note(node, `<${name}> is not carried over`);
  }
}

function ifElement(s: Scope, node: Element): void {
  const branches: Array<{ cond?: string; nodes: Node[] }> = [{ cond: attr(node, 'cond') ?? 'false', nodes: [] }];
  for (const child of childNodes(node)) {
    if (isElement(child) && child.localName === 'elseif') branches.push({ cond: attr(child, 'cond') ?? 'false', nodes: [] });
    else if (isElement(child) && child.localName === 'else') branches.push({ nodes: [] });
    else branches[branches.length - 1]?.nodes.push(child);
  }
  const translated = branches.map((b) => (b.cond === undefined ? undefined : translateExpression(b.cond, s.vars)));
  if (translated.some((t, i) => t === undefined && branches[i]?.cond !== undefined)) {
    s.note(node, 'a condition cannot be written in the bot expression language; only the first branch is kept');
    return content(s, branches[0]?.nodes ?? []);
  }
  s.b.branches(
    'check',
    branches.map((b, i) => ({ ...(translated[i] !== undefined ? { cond: translated[i] } : {}), build: () => content(s, b.nodes) })),
  );
}

function submit(s: Scope, node: Element): void {
  const url = attr(node, 'next');
  if (url === undefined) return s.note(node, 'submit with expr cannot be imported');
  const names = (attr(node, 'namelist') ?? '').split(/\s+/).filter(Boolean);
  const values = Object.fromEntries(names.map((n) => [n, s.vars(n) ? `{{${s.vars(n) ?? ''}}}` : '']));
  const post = (attr(node, 'method') ?? 'get').toLowerCase() === 'post';
  const query = names.map((n) => `${encodeURIComponent(n)}=${values[n] ?? ''}`).join('&');
  s.note(node, 'submit became a service call: the document the server answered with is not imported; say its result in a message');
  s.b.push({
    id: s.b.id('submit'),
    type: 'service',
    request: post ? { method: 'POST', url, body: values } : { method: 'GET', url: query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url },
    next: 'menu',
  });
}

/** Retry prompts and the exhausted behaviour from a field's (or menu's) `<noinput>`/`<nomatch>` handlers. */
function retries(s: Scope, item: Element): Pick<Extract<NodeOut, { type: 'prompt' }>, 'noInput' | 'noMatch' | 'retries' | 'onExhausted'> {
  const out: { noInput?: PromptOut[]; noMatch?: PromptOut[]; retries?: number; onExhausted?: string } = {};
  let exhaustAt: number | undefined;
  for (const kind of ['noinput', 'nomatch'] as const) {
    const handlers = childElements(item)
      .filter((h) => h.localName === kind || (h.localName === 'catch' && (attr(h, 'event') ?? '').split(/\s+/).includes(kind)))
      .sort((a, b) => Number(attr(a, 'count') ?? 1) - Number(attr(b, 'count') ?? 1));
    const prompts: PromptOut[] = [];
    for (const h of handlers) {
      const leaves = childElements(h).find((c) => ['goto', 'exit', 'disconnect', 'submit', 'return'].includes(c.localName ?? ''));
      if (leaves) {
        const count = Number(attr(h, 'count') ?? 1);
        exhaustAt = exhaustAt === undefined ? count : Math.min(exhaustAt, count);
        const next = attr(leaves, 'next');
        const target = next ? s.ctx.app.resolve(s.dialog.file, next) : undefined;
        out.onExhausted = leaves.localName === 'exit' || leaves.localName === 'disconnect' ? 'end' : 'escalate';
        if (leaves.localName === 'goto' && !(target && containsTransfer(target.element))) {
          s.note(h, `after the last retry the application goes to ${next ?? '?'}; the bot escalates to an agent instead`);
        }
        continue;
      }
      const p = promptFrom(childNodes(h).filter((c) => !(isElement(c) && c.localName === 'reprompt')), s.prompt);
      if (p !== undefined) prompts.push(p);
    }
    if (prompts.length) out[kind === 'noinput' ? 'noInput' : 'noMatch'] = prompts;
  }
  if (exhaustAt !== undefined) out.retries = Math.max(0, Math.min(10, exhaustAt - 1));
  return out;
}

function firstPrompt(s: Scope, item: Element): PromptOut {
  const prompts = childElements(item, 'prompt');
  const main = prompts.find((p) => (attr(p, 'count') ?? '1') === '1') ?? prompts[0];
  for (const p of prompts) if (p !== main) s.note(p, `tapered prompt (count ${attr(p, 'count') ?? '1'}) is not carried over`);
  const prompt = main ? promptFrom(childNodes(main), s.prompt) : undefined;
  if (prompt === undefined) s.note(item, 'the field has no prompt');
  return prompt ?? '';
}

function field(s: Scope, item: Element): void {
  const name = attr(item, 'name') ?? s.b.id('field');
  const mapped = fieldEntity(item);
  for (const n of mapped.notes) s.note(item, n);
  const entity = s.ctx.declareEntity(name, mapped.entity, s.dialog.id);
  const voice = voiceProperties(item, (node, reason) => s.note(node, reason));
  s.b.push({
    id: s.b.id(name),
    type: 'prompt',
    entity,
    ...(entity !== name ? { variable: name } : {}),
    prompt: firstPrompt(s, item),
    ...retries(s, item),
    ...(Object.keys(voice).length ? { voice } : {}),
    ...(mapped.grammars.length ? { grammars: mapped.grammars } : {}),
  });
  for (const filled of childElements(item, 'filled')) content(s, childNodes(filled));
}

function formItems(s: Scope, form: Element): void {
  const items = childElements(form);
  const inputs = items.filter((i) => ['field', 'subdialog', 'record', 'transfer', 'object', 'initial'].includes(i.localName ?? ''));
  const lastInput = inputs[inputs.length - 1];
  for (const item of items) {
    switch (item.localName) {
      case 'block':
        content(s, childNodes(item));
        break;
      case 'field':
        field(s, item);
        break;
      case 'var':
        if (attr(item, 'expr') !== undefined) setVariable(s, item, attr(item, 'name') ?? '', attr(item, 'expr'));
        break;
      case 'transfer': {
        const dest = attr(item, 'dest');
        if (dest === undefined) s.note(item, 'transfer with destexpr: the bot transfers to its default queue');
        s.b.push({ id: s.b.id(attr(item, 'name') ?? 'transfer'), type: 'transfer', ...(dest !== undefined ? { target: dest } : {}) });
        break;
      }
      case 'subdialog':
        s.note(item, `subdialog ${attr(item, 'src') ?? ''} is not carried over: the bot has no call-and-return between dialogs`);
        break;
      case 'filled':
      case 'property':
      case 'noinput':
      case 'nomatch':
      case 'help':
      case 'error':
      case 'catch':
      case 'grammar':
        if (item.localName === 'catch' || item.localName === 'error' || item.localName === 'help') s.note(item, `form-level <${item.localName}> is not carried over`);
        break;
      default:
        s.note(item, `<${item.localName ?? ''}> is not carried over`);
    }
    if (item === lastInput) for (const filled of childElements(form, 'filled')) content(s, childNodes(filled));
  }
  s.b.flush();
  if (!s.b.last || s.b.fallsThrough()) s.b.push({ id: s.b.id('end'), type: 'end', outcome: 'resolved' });
}

/** The words of a `<choice>` (its own text, not its grammar's). */
export function choiceText(choice: Element): string {
  return childNodes(choice)
    .filter((n) => !isElement(n))
    .map((n) => n.nodeValue ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The phrases of a choice's inline grammars. */
export function grammarPhrases(choice: Element): string[] {
  return childElements(choice, 'grammar').flatMap((g) => {
    const rules = inlineGrammar(g);
    return rules ? grammarChoices(rules).flatMap((c) => c.phrases) : [];
  });
}

function subMenu(s: Scope, menu: Element, choiceTexts: string[]): void {
  const choices = childElements(menu, 'choice');
  const values = choices.map((c, i) => {
    const phrases = [choiceTexts[i] ?? '', ...grammarPhrases(c)];
    return { value: choiceTexts[i] || `choice ${i + 1}`, phrases: [...new Set(phrases.filter(Boolean))] };
  });
  const list = values.map((v) => {
    const synonyms = v.phrases.filter((p) => p !== v.value);
    return synonyms.length ? { value: v.value, synonyms } : v.value;
  });
  const entity = s.ctx.declareEntity(`${s.dialog.id}_choice`, { type: 'list', values: list }, s.dialog.id);
  const prompt = childElements(menu, 'prompt')[0];
  const branches: Array<{ if: string; goto: string }> = [];
  choices.forEach((c, i) => {
    const next = attr(c, 'next');
    const target = next ? targetOf(s, c, next) : undefined;
    if (!next) s.note(c, 'a choice without next is not carried over');
    if (target) branches.push({ if: `entities.${entity} == '${(values[i]?.value ?? '').replace(/'/g, "\\'")}'`, goto: target });
  });
  s.b.push({
    id: s.b.id('choose'),
    type: 'prompt',
    entity,
    prompt: (prompt ? promptFrom(childNodes(prompt), s.prompt) : undefined) ?? choiceTexts.join(', '),
    ...retries(s, menu),
    next: [...branches, { goto: 'menu' }],
  });
}

/** The bot dialog for one VoiceXML form or (sub-)menu. `fields` are the names every form declares. */
export function mapDialog(ctx: MapContext, dialog: SourceDialog, fields: ReadonlySet<string>, intent?: string): DialogOut {
  const b = new DialogBuilder();
  const note = (node: Node | undefined, reason: string) => ctx.app.note(dialog.file, node, reason);
  const vars = variableMap(fields);
  const choiceTexts = childElements(dialog.element, 'choice').map(choiceText);
  const s: Scope = { ctx, dialog, b, vars, note, prompt: { vars, drop: note, ...(dialog.kind === 'menu' ? { choices: choiceTexts } : {}) } };
  if (dialog.kind === 'menu') subMenu(s, dialog.element, choiceTexts);
  else formItems(s, dialog.element);
  return { id: dialog.id, ...(intent ? { intent } : {}), nodes: b.nodes };
}
