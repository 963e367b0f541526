/**
 * A VoiceXML menu/form application → a bot. The entry document's first menu is the main menu: its
 * choices become intents (utterances from the choice words and their grammars) that start the dialogs
 * they led to, its prompt the greeting (with the choices as numbered buttons), its no-match prompt the
 * not-understood response. Every other form or menu becomes a dialog (map-dialog.ts).
 */
import { basename, dirname, resolve } from 'node:path';
import { attr, childElements, childNodes, type Element } from '../xml-dom.ts';
import type { EntityOut, ImportedBot, PromptOut } from './bot-shape.ts';
import { variableMap } from './expressions.ts';
import { choiceText, grammarPhrases, mapDialog, type MapContext } from './map-dialog.ts';
import { promptFrom } from './prompts.ts';
import { voiceProperties } from './properties.ts';
import { loadVxmlApplication, toId, type SourceDialog } from './vxml-source.ts';

function withButtons(prompt: PromptOut, buttons: Array<{ title: string; value: string }>): PromptOut {
  if (buttons.length === 0) return prompt;
  return typeof prompt === 'string' ? { text: prompt, buttons } : { ...prompt, buttons };
}

export async function importVxmlApplication(file: string, options: { id?: string } = {}): Promise<ImportedBot> {
  const app = await loadVxmlApplication(file);
  const entryRoot = app.documents.get(app.entryFile);
  const first = app.dialogs.find((d) => d.file === app.entryFile);
  const mainMenu = first?.kind === 'menu' ? first : undefined;

  const entities: Record<string, EntityOut> = {};
  const declareEntity = (field: string, entity: EntityOut, dialog: string): string => {
    const name = toId(field, 'value');
    const existing = entities[name];
    if (!existing || JSON.stringify(existing) === JSON.stringify(entity)) {
      entities[name] = entity;
      return name;
    }
    const scoped = toId(`${dialog}_${name}`, name);
    entities[scoped] = entity;
    return scoped;
  };
  const ctx: MapContext = { app, declareEntity, ...(mainMenu ? { mainMenu } : {}) };
  const fields = new Set<string>();
  const collectFields = (e: Element): void => {
    for (const c of childElements(e)) {
      if (c.localName === 'field' && attr(c, 'name')) fields.add(attr(c, 'name') ?? '');
      collectFields(c);
    }
  };
  for (const d of app.dialogs) collectFields(d.element);

  const intents: Record<string, string[]> = {};
  const intentOf = new Map<SourceDialog, string>();
  const responses: NonNullable<ImportedBot['bot']['responses']> = {};
  if (mainMenu) {
    const note = (node: Parameters<typeof app.note>[1], reason: string) => app.note(mainMenu.file, node, reason);
    const choices = childElements(mainMenu.element, 'choice');
    const texts = choices.map(choiceText);
    const auto = attr(mainMenu.element, 'dtmf') === 'true';
    choices.forEach((choice, i) => {
      const next = attr(choice, 'next');
      const target = next ? app.resolve(mainMenu.file, next) : undefined;
      if (!target || target === mainMenu) {
        note(choice, next ? `choice "${texts[i] ?? ''}" leads to ${next}, which is not a dialog of the imported documents` : `choice "${texts[i] ?? ''}" has no next (event/expr choices are not carried over)`);
        return;
      }
      const name = intentOf.get(target) ?? toId(target.id, `intent_${i + 1}`);
      intentOf.set(target, name);
      intents[name] = [...new Set([...(intents[name] ?? []), texts[i] ?? '', ...grammarPhrases(choice)].filter(Boolean))];
      const key = attr(choice, 'dtmf') ?? (auto && i < 9 ? String(i + 1) : undefined);
      if (key !== undefined && key !== String(i + 1)) note(choice, `key ${key} of "${texts[i] ?? ''}" becomes ${i + 1}: the IVR numbers the menu's buttons in order`);
    });
    const vars = variableMap(fields);
    const drop = (node: Parameters<typeof app.note>[1], reason: string) => note(node, reason);
    const menuPrompt = childElements(mainMenu.element, 'prompt')[0];
    const greeting = menuPrompt ? promptFrom(childNodes(menuPrompt), { vars, drop, choices: texts }) : undefined;
    const buttons = texts.map((t) => ({ title: t, value: t })).filter((b) => b.value);
    if (greeting !== undefined) responses.greeting = withButtons(greeting, buttons);
    for (const handler of childElements(mainMenu.element)) {
      if (handler.localName === 'nomatch' && responses.notUnderstood === undefined) {
        const p = promptFrom(childNodes(handler).filter((c) => !('localName' in c && c.localName === 'reprompt')), { vars, drop });
        if (p !== undefined) responses.notUnderstood = p;
      } else if (handler.localName === 'noinput' || handler.localName === 'help' || handler.localName === 'catch' || handler.localName === 'error') {
        note(handler, `the main menu's <${handler.localName}> is not carried over (the bot answers silence at its menu with its own responses)`);
      }
    }
  }

  const dialogs = app.dialogs.filter((d) => d !== mainMenu).map((d) => mapDialog(ctx, d, fields, intentOf.get(d)));
  if (entryRoot) {
    for (const e of childElements(entryRoot)) {
      if (['catch', 'noinput', 'nomatch', 'error', 'help', 'link', 'script', 'data'].includes(e.localName ?? '')) {
        const hangup = (attr(e, 'event') ?? '').startsWith('connection.disconnect');
        app.note(app.entryFile, e, hangup ? 'hang-up handling is built into Parley; not carried over' : `document-level <${e.localName ?? ''}> is not carried over`);
      }
    }
  }
  const properties = entryRoot ? voiceProperties(entryRoot, (node, reason) => app.note(app.entryFile, node, reason)) : {};
  const language = entryRoot ? attr(entryRoot, 'xml:lang') : undefined;
  const stem = basename(file).replace(/\.vxml$/i, '');
  // A generic entry name says nothing about the application: the folder's name does.
  const id = options.id ?? toId(/^(main|index|start|root)$/i.test(stem) ? basename(dirname(resolve(file))) : stem, 'imported');
  return {
    bot: {
      id,
      name: `${id} (imported from ${basename(file)})`,
      ...(language ? { language } : {}),
      ...(!mainMenu && first ? { welcome: first.id } : {}),
      settings: { ivr: { transcription: true, ...(Object.keys(properties).length ? { properties } : {}) } },
      ...(Object.keys(responses).length ? { responses } : {}),
    },
    intents,
    entities,
    dialogs,
    unmapped: [...app.unmapped].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)),
  };
}
