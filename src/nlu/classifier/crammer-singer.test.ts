import { describe, expect, it } from 'vitest';
import { trainCrammerSinger, type DenseLinear, type SolverOptions } from './crammer-singer.ts';
import { seededRandom } from './random.ts';
import { toSparseMatrix } from './sparse-matrix.ts';

/** Points around one of `classes` corners of a `dims`-dimensional space, as sparse vectors. */
function blobs(
  classes: number,
  perClass: number,
  dims: number,
  seed: number,
): { vectors: Array<{ indices: Int32Array; values: Float32Array }>; labels: Int32Array } {
  const random = seededRandom(seed);
  const vectors: Array<{ indices: Int32Array; values: Float32Array }> = [];
  const labels: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const values = Float32Array.from(
        { length: dims },
        (_, d) => (d % classes === c ? 1 : 0) + 0.6 * random(),
      );
      vectors.push({ indices: Int32Array.from({ length: dims }, (_, d) => d), values });
      labels.push(c);
    }
  }
  return { vectors, labels: Int32Array.from(labels) };
}

function predict(model: DenseLinear, v: { indices: Int32Array; values: Float32Array }): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < model.classes; c++) {
    let s = model.biases[c]!;
    v.indices.forEach((f, k) => {
      s += model.weights[f * model.classes + c]! * v.values[k]!;
    });
    if (s > bestScore) [best, bestScore] = [c, s];
  }
  return best;
}

const options: SolverOptions = { C: 1, bias: 0.5, epochs: 50, tolerance: 0.01, candidates: 100, seed: 3 };

describe('Crammer-Singer multi-class SVM', () => {
  const train = blobs(5, 20, 10, 1);
  const test = blobs(5, 20, 10, 2);
  const x = toSparseMatrix(train.vectors, 10);

  it('separates classes it has seen and generalises to new points of them', () => {
    const model = trainCrammerSinger(x, train.labels, 5, options);
    expect(train.vectors.every((v, i) => predict(model, v) === train.labels[i])).toBe(true);
    const right = test.vectors.filter((v, i) => predict(model, v) === test.labels[i]).length;
    expect(right / test.vectors.length).toBeGreaterThan(0.95);
  });

  it('reaches the same answers when each example starts from a few candidate classes', () => {
    const full = trainCrammerSinger(x, train.labels, 5, options);
    const few = trainCrammerSinger(x, train.labels, 5, { ...options, candidates: 2 });
    expect(test.vectors.map((v) => predict(few, v))).toEqual(test.vectors.map((v) => predict(full, v)));
  });

  it('is deterministic for a seed', () => {
    const a = trainCrammerSinger(x, train.labels, 5, { ...options, epochs: 3 });
    const b = trainCrammerSinger(x, train.labels, 5, { ...options, epochs: 3 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });
});
