import type { Bot, Dialog, DialogNode, Prompt } from '../core/bot.ts';
import { parseExpression } from '../core/expression.ts';
import { templateExpressions } from '../core/template.ts';
import type { BotProblem } from './problems.ts';
import type { YamlSource } from './yaml-source.ts';

/** The sources a bot was read from, for locating problems. */
export interface BotSources {
  bot: YamlSource;
  intents?: YamlSource;
  entities?: YamlSource;
  dialogs: Map<string, YamlSource>;
}

type Path = Array<string | number>;

/** Checks what a schema cannot: references between files, expressions, patterns. */
export function checkBot(bot: Bot, src: BotSources): BotProblem[] {
  const problems: BotProblem[] = [];
  const intentNames = new Set(bot.intents.map((i) => i.name));
  const expr = (s: YamlSource, path: Path, text: string) => {
    try {
      parseExpression(text);
    } catch (e) {
      problems.push(s.problem(path, (e as Error).message));
    }
  };
  const template = (s: YamlSource, path: Path, text: string | undefined) => {
    for (const e of templateExpressions(text ?? '')) expr(s, path, e);
  };
  const promptCheck = (s: YamlSource, path: Path, p: Prompt | undefined) => {
    if (!p) return;
    template(s, path, p.text);
    template(s, path, p.voice);
  };

  for (const [name, e] of Object.entries(bot.entities)) {
    const s = src.entities;
    if (!s) continue;
    const path = ['entities', name];
    if (e.type === 'regex') {
      if (e.pattern === undefined) problems.push(s.problem(path, "a regex entity needs 'pattern'"));
      else {
        try {
          new RegExp(e.pattern);
        } catch (err) {
          problems.push(s.problem([...path, 'pattern'], `invalid regular expression: ${(err as Error).message}`));
        }
      }
    }
    if (e.type === 'list' && !e.values?.length) problems.push(s.problem(path, "a list entity needs 'values'"));
    if (e.type === 'composite') {
      if (!e.parts?.length) problems.push(s.problem(path, "a composite entity needs 'parts'"));
      e.parts?.forEach((p, i) => {
        if (!bot.entities[p]) problems.push(s.problem([...path, 'parts', i], `unknown entity '${p}'`));
      });
    }
    if (e.minLength !== undefined && e.maxLength !== undefined && e.minLength > e.maxLength) {
      problems.push(s.problem([...path, 'minLength'], 'minLength is greater than maxLength'));
    }
  }

  const byIntent = new Map<string, string>();
  for (const d of Object.values(bot.dialogs)) {
    const s = src.dialogs.get(d.id);
    if (!s) continue;
    if (d.intent !== undefined) {
      if (!intentNames.has(d.intent)) {
        problems.push(s.problem(['intent'], `unknown intent '${d.intent}' (declare it in intents.yaml)`));
      }
      const other = byIntent.get(d.intent);
      if (other) problems.push(s.problem(['intent'], `intent '${d.intent}' already starts dialog '${other}'`));
      byIntent.set(d.intent, d.id);
    }
    checkDialog(bot, d, s, problems, { expr, template, promptCheck });
  }

  const b = src.bot;
  if (bot.welcomeDialog !== undefined && !bot.dialogs[bot.welcomeDialog]) {
    problems.push(b.problem(['welcome'], `unknown dialog '${bot.welcomeDialog}'`));
  }
  if (bot.errorHandler.dialog !== undefined && !bot.dialogs[bot.errorHandler.dialog]) {
    problems.push(b.problem(['errorHandler', 'dialog'], `unknown dialog '${bot.errorHandler.dialog}'`));
  }
  bot.settings.piiPatterns.forEach((p, i) => {
    try {
      new RegExp(p);
    } catch (err) {
      problems.push(b.problem(['settings', 'piiPatterns', i], `invalid regular expression: ${(err as Error).message}`));
    }
  });
  for (const [name, p] of Object.entries(bot.responses) as Array<[string, Prompt]>) promptCheck(b, ['responses', name], p);
  return problems;
}

interface Checkers {
  expr: (s: YamlSource, path: Path, text: string) => void;
  template: (s: YamlSource, path: Path, text: string | undefined) => void;
  promptCheck: (s: YamlSource, path: Path, p: Prompt | undefined) => void;
}

function checkDialog(bot: Bot, d: Dialog, s: YamlSource, problems: BotProblem[], c: Checkers): void {
  const ids = new Set<string>();
  d.nodes.forEach((n, i) => {
    if (ids.has(n.id)) problems.push(s.problem(['nodes', i, 'id'], `duplicate node id '${n.id}'`));
    ids.add(n.id);
  });
  const target = (path: Path, t: string) => {
    if (t === 'end' || t === 'menu' || ids.has(t)) return;
    if (t.startsWith('dialog:')) {
      if (!bot.dialogs[t.slice(7)]) problems.push(s.problem(path, `unknown dialog '${t.slice(7)}'`));
      return;
    }
    problems.push(s.problem(path, `unknown node '${t}' (a node id of this dialog, dialog:<id>, menu or end)`));
  };
  d.nodes.forEach((n: DialogNode, i) => {
    const at = (...rest: Path): Path => ['nodes', i, ...rest];
    const transitions = (field: string, tr: Array<{ if?: string; goto: string }>) =>
      tr.forEach((b, j) => {
        const p = typeof (s.value as { nodes: Array<Record<string, unknown>> }).nodes[i]?.[field] === 'string' ? at(field) : at(field, j);
        target(p, b.goto);
        if (b.if !== undefined) c.expr(s, p, b.if);
      });
    transitions('next', n.next);
    switch (n.type) {
      case 'message':
        c.promptCheck(s, at('prompt'), n.prompt);
        break;
      case 'prompt':
        if (!bot.entities[n.entity]) {
          problems.push(s.problem(at('entity'), `unknown entity '${n.entity}' (declare it in entities.yaml or use a built-in type)`));
        }
        c.promptCheck(s, at('prompt'), n.prompt);
        if (n.onExhausted.action === 'goto') target(at('onExhausted'), n.onExhausted.target);
        break;
      case 'confirm':
        c.promptCheck(s, at('prompt'), n.prompt);
        transitions('onYes', n.onYes);
        transitions('onNo', n.onNo);
        if (n.onExhausted.action === 'goto') target(at('onExhausted'), n.onExhausted.target);
        break;
      case 'logic':
        for (const { variable, value } of n.set) {
          if (!/^(session|user|entities)\.[A-Za-z_][\w.]*$/.test(variable)) {
            problems.push(s.problem(at('set', variable), `'${variable}' is not a writable variable (session.x, user.x or entities.x)`));
          }
          c.expr(s, at('set', variable), value);
        }
        break;
      case 'service':
        c.template(s, at('request', 'url'), n.request.url);
        for (const { variable, path } of n.response) {
          if (!/^(session|user|entities)\.[A-Za-z_][\w.]*$/.test(variable)) {
            problems.push(s.problem(at('response', variable), `'${variable}' is not a writable variable`));
          }
          if (!/^(status|body|headers)(\.|$)/.test(path)) {
            problems.push(s.problem(at('response', variable), `path '${path}' must start with status, body or headers`));
          }
        }
        if (n.onError !== undefined) target(at('onError'), n.onError);
        break;
      case 'transfer':
        for (const { name, value } of n.context) c.expr(s, at('context', name), value);
        c.template(s, at('message'), n.message);
        if (n.onUnavailable !== undefined) target(at('onUnavailable'), n.onUnavailable);
        break;
      case 'end':
        c.promptCheck(s, at('prompt'), n.prompt);
        break;
    }
  });
}
