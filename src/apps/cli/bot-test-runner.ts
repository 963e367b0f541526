import { isDeepStrictEqual } from 'node:util';
import type { Action } from '../../core/action.ts';
import { lookupIn } from '../../core/scope.ts';
import type { LoadedTestFile } from '../../bot/testing/load-tests.ts';
import type { ScriptStep, TestFile } from '../../bot/testing/script-schema.ts';
import type { BotRegistry } from '../../runtime/bot-registry.ts';
import type { ConversationService, ChannelInput } from '../../runtime/conversation-service.ts';
import type { ConversationRecord, Storage } from '../../storage/port.ts';

export interface CaseResult {
  kind: 'conversation' | 'utterance';
  name: string;
  file: string;
  passed: boolean;
  failures: string[];
}

export interface TestRunDeps {
  botId: string;
  service: ConversationService;
  storage: Storage;
  bots: BotRegistry;
  onResult?: (r: CaseResult) => void;
}

type Conversation = NonNullable<TestFile['conversations']>[number];

const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Runs a bot's conversation scripts through the full runtime, and its utterance tests through its NLU. */
export async function runBotTests(files: LoadedTestFile[], deps: TestRunDeps): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const report = (r: CaseResult) => {
    results.push(r);
    deps.onResult?.(r);
  };
  for (const { file, tests } of files) {
    for (const c of tests.conversations ?? []) report(await runConversation(file, c, deps));
    const nlu = deps.bots.get(deps.botId).nlu;
    for (const u of tests.utterances ?? []) {
      const got = await nlu.understand(u.text, { expect: { kind: 'intent' }, now: new Date() });
      const best = got.intents[0];
      const threshold = deps.bots.get(deps.botId).bot.settings.nluThreshold;
      const name = best && best.confidence >= threshold ? best.name : 'not understood';
      report({
        kind: 'utterance',
        name: u.text,
        file,
        passed: name === u.intent,
        failures: name === u.intent ? [] : [`expected intent ${u.intent}, got ${name}${best ? ` (${best.name} at ${best.confidence.toFixed(2)})` : ''}`],
      });
    }
  }
  return results;
}

async function runConversation(file: string, c: Conversation, deps: TestRunDeps): Promise<CaseResult> {
  const failures: string[] = [];
  let said = '';
  let actions: Action[] = [];
  let record: ConversationRecord | undefined;
  const take = (r: { conversation: ConversationRecord; actions: Action[] }) => {
    record = r.conversation;
    actions = r.actions;
    said = r.actions.flatMap((a) => (a.type === 'say' ? [a.prompt.text] : [])).join('\n');
  };
  try {
    take(
      await deps.service.start(deps.botId, {
        channel: c.channel ?? 'chat',
        ...(c.customer ? { customer: c.customer } : {}),
        session: { ...(c.session ?? {}), ...(c.customer ? { from: c.customer } : {}) },
      }),
    );
    for (const [i, s] of c.steps.entries()) {
      const failure = await runStep(s, deps, () => record as ConversationRecord, said, actions, take);
      if (failure) {
        failures.push(`step ${i + 1}: ${failure}`);
        break;
      }
    }
  } catch (err) {
    failures.push((err as Error).message);
  }
  return { kind: 'conversation', name: c.name, file, passed: failures.length === 0, failures };
}

async function runStep(
  s: ScriptStep,
  deps: TestRunDeps,
  current: () => ConversationRecord,
  said: string,
  actions: Action[],
  take: (r: { conversation: ConversationRecord; actions: Action[] }) => void,
): Promise<string | undefined> {
  const send = async (input: ChannelInput) => take(await deps.service.send(current().id, input));
  if ('user' in s) return void (await send({ text: s.user }));
  if ('dtmf' in s) return void (await send({ digits: s.dtmf }));
  if ('event' in s) return void (await send({ event: s.event }));
  if ('bot' in s) {
    const missing = asList(s.bot).filter((t) => !said.toLowerCase().includes(t.toLowerCase()));
    return missing.length ? `expected the bot to say "${missing.join('", "')}", it said: "${said.replace(/\n/g, ' / ')}"` : undefined;
  }
  if ('botNot' in s) {
    const present = asList(s.botNot).filter((t) => said.toLowerCase().includes(t.toLowerCase()));
    return present.length ? `the bot said "${present.join('", "')}" but should not have` : undefined;
  }
  if ('action' in s) {
    return actions.some((a) => a.type === s.action) ? undefined : `expected action ${s.action}, got ${actions.map((a) => a.type).join(', ') || 'none'}`;
  }
  if ('expect' in s) {
    const rec = current();
    for (const [path, want] of Object.entries(s.expect)) {
      const got =
        path === 'status' ? rec.status : path === 'outcome' ? rec.outcome : path === 'intent' ? rec.state.lastIntent?.name : lookupIn(rec.state.vars, {}, path.split('.'));
      if (!isDeepStrictEqual(got, want)) return `expected ${path} = ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    }
    return undefined;
  }
  const turns = await deps.storage.conversations.turns(current().id);
  const transcript = turns.map((t) => `${t.text} ${JSON.stringify(t.entities ?? {})}`).join('\n');
  const leaked = asList(s.notInTranscript).filter((t) => transcript.includes(t));
  return leaked.length ? `the stored transcript holds "${leaked.join('", "')}"` : undefined;
}
