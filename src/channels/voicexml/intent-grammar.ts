/**
 * The spoken grammar of a bot's open questions, for IVRs that do not transcribe.
 *
 * A question that expects an intent ("How can I help?") has no grammar of its own: on an IVR whose ASR
 * transcribes, the caller may say anything and the bot's NLU decides. Where the bot does not transcribe, the
 * field needs a grammar, and the button titles alone (the only phrases a question carries) would keep the
 * caller from asking for anything else the bot understands. So the field also gets this grammar: every
 * training utterance of every intent, as an SRGS XML document served by Parley, and what the ASR recognises
 * is understood by the NLU as typed words would be. The grammar is fetched by URL rather than written into
 * each document, so the IVR fetches (and caches) it once, not on every turn.
 *
 * The URL carries a hash of the grammar's text (`/ivr/grammars/<botId>/<hash>.grxml`): it changes whenever
 * the training data does, the IVR may cache it for ever, every node serving the same bot files gives the same
 * URL, and it names nothing that a caller could not learn from the document that refers to it.
 */
import { createHash } from 'node:crypto';
import { create } from 'xmlbuilder2';
import type { Bot } from '../../core/bot.ts';
import { isLanguageTag } from './xml-tree.ts';

export const INTENT_GRAMMAR_TYPE = 'application/srgs+xml';

export interface IntentGrammar {
  /** The grammar's hash: the last part of its URL. */
  version: string;
  /** The SRGS XML document. */
  xml: string;
}

type GrammarBot = Pick<Bot, 'language' | 'intents'>;

/** The intent grammar of a bot, or undefined when it has no training utterances. */
export function intentGrammar(bot: GrammarBot): IntentGrammar | undefined {
  const phrases = [
    ...new Set(
      bot.intents.flatMap((i) => i.utterances.map((u) => u.replace(/\s+/g, ' ').trim())).filter(Boolean),
    ),
  ];
  if (phrases.length === 0) return undefined;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const attrs: Record<string, string> = {
    xmlns: 'http://www.w3.org/2001/06/grammar',
    version: '1.0',
    mode: 'voice',
    root: 'utterance',
  };
  if (isLanguageTag(bot.language)) attrs['xml:lang'] = bot.language;
  // No tags: the result of a match is the words said, which the NLU then classifies.
  const oneOf = doc.ele('grammar', attrs).ele('rule', { id: 'utterance', scope: 'public' }).ele('one-of');
  for (const phrase of phrases) oneOf.ele('item').txt(phrase);
  const xml = doc.end();
  return { version: createHash('sha256').update(xml).digest('base64url').slice(0, 22), xml };
}

/** Versions kept per bot: a document fetched just before a reload still finds the grammar it names. */
const VERSIONS_KEPT = 4;

/** The intent grammars of the loaded bots, built once per bot definition, and their URLs. */
export class IntentGrammars {
  /** Each bot definition's grammar path, built on first use; null for a bot without training utterances. */
  readonly #paths = new WeakMap<GrammarBot, string | null>();
  readonly #served = new Map<string, Map<string, string>>();

  /** The path of a bot's grammar (`/ivr/grammars/<botId>/<hash>.grxml`), or undefined when it has none. */
  pathFor(bot: GrammarBot & Pick<Bot, 'id'>): string | undefined {
    let path = this.#paths.get(bot);
    if (path === undefined) {
      const grammar = intentGrammar(bot);
      path = grammar ? `/ivr/grammars/${encodeURIComponent(bot.id)}/${grammar.version}.grxml` : null;
      this.#paths.set(bot, path);
      if (grammar) this.#keep(bot.id, grammar);
    }
    return path ?? undefined;
  }

  /** The text of a bot's grammar of that version (its current one, or one of the last few), or undefined. */
  get(bot: GrammarBot & Pick<Bot, 'id'>, version: string): string | undefined {
    this.pathFor(bot);
    return this.#served.get(bot.id)?.get(version);
  }

  #keep(botId: string, grammar: IntentGrammar): void {
    let versions = this.#served.get(botId);
    if (versions === undefined) this.#served.set(botId, (versions = new Map<string, string>()));
    versions.delete(grammar.version);
    versions.set(grammar.version, grammar.xml);
    for (const oldest of versions.keys()) {
      if (versions.size <= VERSIONS_KEPT) break;
      versions.delete(oldest);
    }
  }
}
