import { describe, expect, it } from 'vitest';
import { defaultMembers } from './classifier.ts';
import {
  defaultFeatureOptions,
  extractTerms,
  Featurizer,
  hashTerms,
  VectorBuffer,
  type FeatureOptions,
} from './features.ts';
import { tokenize } from './normalize.ts';
import { TermBuffer } from './term-buffer.ts';
import { TermIndex } from './term-index.ts';
import { sampleExamples, sampleParaphrases } from './testing/sample-examples.ts';

const texts = [
  ...sampleExamples.map((e) => e.text),
  ...sampleParaphrases.map((e) => e.text),
  'pay pay pay my my bill bill',
  'unseen words only: zebra quokka',
  '',
];

describe('feature vectors at prediction', () => {
  it('are the vectors of the term counts, to the bit, without maps', () => {
    const corpus = sampleExamples.map((e) => extractTerms(tokenize(e.text), defaultFeatureOptions));
    const views: FeatureOptions[] = defaultMembers.map((m) => ({ ...defaultFeatureOptions, ...m }));
    const featurizers = [...views, defaultFeatureOptions].map((view) => Featurizer.fit(corpus, view));
    const buffer = new TermBuffer();
    const vector = new VectorBuffer();
    for (const text of texts) {
      const tokens = tokenize(text);
      hashTerms(tokens, defaultFeatureOptions, buffer);
      for (const featurizer of featurizers) {
        const expected = featurizer.vectorize(extractTerms(tokens, defaultFeatureOptions));
        featurizer.vectorizeBuffer(buffer, vector);
        expect(vector.indices.slice(0, vector.size), text).toEqual(expected.indices);
        expect(vector.values.slice(0, vector.size), text).toEqual(expected.values);
      }
    }
  });

  it('grow their buffers for a long utterance', () => {
    const buffer = new TermBuffer();
    const tokens = tokenize('please '.repeat(300));
    hashTerms(tokens, defaultFeatureOptions, buffer);
    const terms = extractTerms(tokens, defaultFeatureOptions);
    expect(buffer.views[1].size).toBeGreaterThan(1000);
    expect(new Set(buffer.views[1].data.subarray(0, buffer.views[1].size)).size).toBe(terms[1].size);
  });
});

describe('term index', () => {
  it('finds the feature index of every term and -1 for others, whatever the hash', () => {
    const terms = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 12345, 0x9e3779b9];
    const index = new TermIndex(terms, 10);
    terms.forEach((term, i) => expect(index.get(term)).toBe(10 + i));
    expect(index.get(2)).toBe(-1);
    expect(index.get(0xfffffffe)).toBe(-1);
    expect(new TermIndex([], 0).get(5)).toBe(-1);
  });

  it('refuses a vocabulary that repeats a term', () => {
    expect(() => new TermIndex([7, 8, 7], 0)).toThrow(/repeats a term/u);
  });
});
