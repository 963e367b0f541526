/**
 * Test NLU behind the NLU port: intents by their exact training phrases; the expected list entity by value
 * or synonym; yes/no for confirmations. Channel and runtime tests use it so what they test is not the
 * classifier's ranking.
 */
import type { Understanding } from '../../src/core/input.ts';
import type { NluEngine, TrainingData } from '../../src/nlu/port.ts';

export const exactPhraseNlu: NluEngine = {
  name: 'exact-phrase (test)',
  train: (data: TrainingData) =>
    Promise.resolve({
      understand: (text, ctx): Promise<Understanding> => {
        const said = text.toLowerCase().trim();
        const intent = data.intents.find((i) => i.utterances.some((u) => u.toLowerCase() === said));
        const entities: Understanding['entities'] = [];
        const expect = ctx.expect;
        if (expect.kind === 'entity' && expect.entity.type === 'list') {
          const v = expect.entity.values?.find((x) => [x.value, ...x.synonyms].some((w) => said.includes(w.toLowerCase())));
          if (v) entities.push({ name: expect.entity.name, value: v.value, text });
        }
        if (expect.kind === 'confirm' && /^(yes|no)\b/.test(said)) entities.push({ name: 'confirm', value: said.startsWith('yes'), text });
        return Promise.resolve({ intents: intent ? [{ name: intent.name, confidence: 1 }] : [], entities });
      },
    }),
};
