import type { SparseMatrix } from './sparse-matrix.ts';

/**
 * For each training example, the `count` classes whose centroids are most similar to it, always
 * including its own class: the multi-class solver starts from these instead of all classes. Only
 * selective features (seen in at most a quarter of the classes) are used, which keeps this cheap
 * (common character n-grams would cost the most and say the least).
 */
export function candidateClasses(
  x: SparseMatrix,
  labels: Int32Array,
  classes: number,
  count: number,
): Int32Array[] {
  const { rows, cols, rowStart, indices, values } = x;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < rows; i++) byClass[labels[i]!]!.push(i);

  // Class sums, kept sparse per class; classSpread[f] = how many classes use feature f.
  const classSpread = new Int32Array(cols);
  const acc = new Float64Array(cols);
  const sums: Array<{ features: Int32Array; sums: Float64Array }> = [];
  for (let c = 0; c < classes; c++) {
    const touched: number[] = [];
    for (const i of byClass[c]!) {
      for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
        const f = indices[k]!;
        if (acc[f] === 0) touched.push(f);
        acc[f]! += values[k]!;
      }
    }
    sums.push({ features: Int32Array.from(touched), sums: Float64Array.from(touched, (f) => acc[f]!) });
    for (const f of touched) {
      acc[f] = 0;
      classSpread[f]!++;
    }
  }

  // Per selective feature, the (class, normalised centroid weight) entries.
  const maxSpread = Math.max(2, Math.floor(classes / 4));
  const start = new Int32Array(cols + 1);
  for (let f = 0; f < cols; f++)
    start[f + 1] = start[f]! + (classSpread[f]! <= maxSpread ? classSpread[f]! : 0);
  const next = start.slice(0, cols);
  const entryClass = new Int32Array(start[cols]!);
  const entryWeight = new Float64Array(start[cols]!);
  sums.forEach(({ features, sums: s }, c) => {
    let norm = 0;
    for (let k = 0; k < features.length; k++)
      if (classSpread[features[k]!]! <= maxSpread) norm += s[k]! * s[k]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < features.length; k++) {
      const f = features[k]!;
      if (classSpread[f]! > maxSpread) continue;
      entryClass[next[f]!] = c;
      entryWeight[next[f]!] = s[k]! * scale;
      next[f]!++;
    }
  });

  const scores = new Float64Array(classes);
  const want = Math.min(count, classes) - 1;
  const top = new Int32Array(Math.max(0, want));
  const result: Int32Array[] = [];
  for (let i = 0; i < rows; i++) {
    scores.fill(0);
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
      const f = indices[k]!;
      const v = values[k]!;
      for (let e = start[f]!; e < start[f + 1]!; e++) scores[entryClass[e]!]! += entryWeight[e]! * v;
    }
    // Insertion into a short list kept best first (ties: lower class first), the own class left out.
    const label = labels[i]!;
    let size = 0;
    for (let c = 0; c < classes; c++) {
      if (c === label) continue;
      const s = scores[c]!;
      if (size === want && !(s > scores[top[size - 1]!]!)) continue;
      let at = size < want ? size++ : size - 1;
      while (at > 0 && s > scores[top[at - 1]!]!) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = c;
    }
    const row = new Int32Array(size + 1);
    row[0] = label;
    row.set(top.subarray(0, size), 1);
    result.push(row);
  }
  return result;
}
