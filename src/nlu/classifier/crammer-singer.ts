/**
 * Multi-class linear SVM of Crammer and Singer, trained by the sequential dual method of Keerthi et
 * al. (KDD 2008) with shrinking. Each example soon keeps only the few classes that compete for it, so
 * an epoch costs far less than one binary problem per class; the solver also starts each example from
 * a short list of candidate classes (see candidate-classes.ts). Deterministic for a given seed.
 */
import { candidateClasses } from './candidate-classes.ts';
import { seededRandom } from './random.ts';
import type { SparseMatrix } from './sparse-matrix.ts';

export interface SolverOptions {
  /** Inverse regularisation strength. */
  C: number;
  /** Value of the constant feature that carries the class biases. */
  bias: number;
  /** Passes over the data at most. */
  epochs: number;
  /** Stopping tolerance on the dual gradient. */
  tolerance: number;
  /** Classes each example starts with (the rest join only when a full pass finds them needed). */
  candidates: number;
  seed: number;
  /** Per-class multipliers of C (class balancing); 1 when absent. */
  classWeights?: ArrayLike<number>;
  /** Called after each pass over the data with the number of passes done. */
  onEpoch?: (epoch: number) => void;
}

/** Dense result, feature-major: weights[f * classes + c]. */
export interface DenseLinear {
  classes: number;
  features: number;
  weights: Float32Array;
  biases: Float32Array;
}

/** Solves min ½A‖α‖² + Bα over one example's active classes; see Keerthi et al., section 3. */
function solveSubProblem(
  a: number,
  yPos: number,
  c: number,
  size: number,
  b: Float64Array,
  scratch: Float64Array,
  out: Float64Array,
): void {
  for (let r = 0; r < size; r++) scratch[r] = b[r]!;
  if (yPos < size) scratch[yPos]! += a * c;
  const d = scratch.subarray(0, size).sort().reverse();
  let beta = d[0]! - a * c;
  let r = 1;
  for (; r < size && beta < r * d[r]!; r++) beta += d[r]!;
  beta /= r;
  for (let m = 0; m < size; m++) {
    const v = (beta - b[m]!) / a;
    out[m] = m === yPos ? Math.min(c, v) : Math.min(0, v);
  }
}

export function trainCrammerSinger(
  x: SparseMatrix,
  labels: Int32Array,
  classes: number,
  options: SolverOptions,
): DenseLinear {
  const { rows, cols, rowStart, indices, values } = x;
  const K = classes;
  const biasRow = cols * K;
  const { bias } = options;
  const classC = Float64Array.from(
    { length: classes },
    (_, c) => options.C * (options.classWeights?.[c] ?? 1),
  );
  let C = options.C;
  const w = new Float32Array((cols + 1) * K);
  const alpha = new Float64Array(rows * K);
  // Per example, a permutation of the classes: the first activeSize[i] are active; yPos[i] is where its label is.
  const classOrder = new Int32Array(rows * K);
  const activeSize = new Int32Array(rows);
  const startSize = new Int32Array(rows);
  const yPos = new Int32Array(rows);
  const sqNorm = new Float64Array(rows);
  const order = new Int32Array(rows);
  const g = new Float64Array(K);
  const b = new Float64Array(K);
  const scratch = new Float64Array(K);
  const alphaNew = new Float64Array(K);
  const changed = new Int32Array(K);
  const delta = new Float64Array(K);
  const random = seededRandom(options.seed);

  const candidates = options.candidates < K ? candidateClasses(x, labels, K, options.candidates) : undefined;
  for (let i = 0; i < rows; i++) {
    const base = i * K;
    const first = candidates?.[i];
    const seen = new Uint8Array(K);
    let at = 0;
    for (const c of first ?? []) {
      if (seen[c]) continue;
      seen[c] = 1;
      classOrder[base + at++] = c;
    }
    startSize[i] = first ? at : K;
    for (let c = 0; c < K; c++) if (!seen[c]) classOrder[base + at++] = c;
    for (let m = 0; m < K; m++) if (classOrder[base + m] === labels[i]) yPos[i] = m;
    activeSize[i] = startSize[i]!;
    let sq = bias * bias;
    for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) sq += values[k]! * values[k]!;
    sqNorm[i] = sq;
    order[i] = i;
  }

  const shrinkable = (m: number, y: number, a: number, minG: number): boolean =>
    a === (m === y ? C : 0) && g[m]! < minG;
  let active = rows;
  let epsShrink = Math.max(10 * options.tolerance, 1);
  let fromAll = true;
  let resets = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    let stopping = -Infinity;
    for (let s = 0; s < active; s++) {
      const j = s + Math.floor(random() * (active - s));
      const t = order[s]!;
      order[s] = order[j]!;
      order[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = order[s]!;
      const base = i * K;
      const a = sqNorm[i]!;
      C = classC[labels[i]!]!;
      let size = activeSize[i]!;
      let y = yPos[i]!;
      for (let m = 0; m < size; m++) g[m] = 1;
      if (y < size) g[y] = 0;
      const end = rowStart[i + 1]!;
      for (let k = rowStart[i]!; k < end; k++) {
        const row = indices[k]! * K;
        const v = values[k]!;
        for (let m = 0; m < size; m++) g[m]! += w[row + classOrder[base + m]!]! * v;
      }
      for (let m = 0; m < size; m++) g[m]! += w[biasRow + classOrder[base + m]!]! * bias;

      let minG = Infinity;
      let maxG = -Infinity;
      for (let m = 0; m < size; m++) {
        if (alpha[base + classOrder[base + m]!]! < 0 && g[m]! < minG) minG = g[m]!;
        if (g[m]! > maxG) maxG = g[m]!;
      }
      if (y < size && alpha[base + labels[i]!]! < C && g[y]! < minG) minG = g[y]!;

      // Shrink the classes that cannot take part in this example's update.
      for (let m = 0; m < size; m++) {
        if (!shrinkable(m, y, alpha[base + classOrder[base + m]!]!, minG)) continue;
        size--;
        while (size > m) {
          if (!shrinkable(size, y, alpha[base + classOrder[base + size]!]!, minG)) {
            const tc = classOrder[base + m]!;
            classOrder[base + m] = classOrder[base + size]!;
            classOrder[base + size] = tc;
            const tg = g[m]!;
            g[m] = g[size]!;
            g[size] = tg;
            if (y === size) y = m;
            else if (y === m) y = size;
            break;
          }
          size--;
        }
      }
      activeSize[i] = size;
      yPos[i] = y;
      if (size <= 1) {
        active--;
        order[s] = order[active]!;
        order[active] = i;
        s--;
        continue;
      }
      if (maxG - minG <= 1e-12) continue;
      stopping = Math.max(stopping, maxG - minG);

      for (let m = 0; m < size; m++) b[m] = g[m]! - a * alpha[base + classOrder[base + m]!]!;
      solveSubProblem(a, y, C, size, b, scratch, alphaNew);
      let nChanged = 0;
      for (let m = 0; m < size; m++) {
        const c = classOrder[base + m]!;
        const d = alphaNew[m]! - alpha[base + c]!;
        alpha[base + c] = alphaNew[m]!;
        if (Math.abs(d) >= 1e-12) {
          changed[nChanged] = c;
          delta[nChanged] = d;
          nChanged++;
        }
      }
      for (let k = rowStart[i]!; k < end; k++) {
        const row = indices[k]! * K;
        const v = values[k]!;
        for (let m = 0; m < nChanged; m++) w[row + changed[m]!]! += delta[m]! * v;
      }
      for (let m = 0; m < nChanged; m++) w[biasRow + changed[m]!]! += delta[m]! * bias;
    }
    options.onEpoch?.(epoch + 1);
    if (stopping < epsShrink) {
      if (stopping < options.tolerance && fromAll) break;
      // Converged on the shrunk problem: check again with every example and every class the first time
      // and once converged (so that classes the candidates missed join in), else with as many classes as
      // each example started with, the ones most involved lately (shrinking keeps those in front).
      const everyClass = resets === 0 || stopping < options.tolerance;
      resets++;
      active = rows;
      if (everyClass) activeSize.fill(K);
      else activeSize.set(startSize);
      epsShrink = Math.max(epsShrink / 2, options.tolerance);
      fromAll = everyClass;
    } else {
      fromAll = false;
    }
  }
  const biases = new Float32Array(K);
  for (let c = 0; c < K; c++) biases[c] = w[biasRow + c]! * bias;
  return { classes: K, features: cols, weights: w.subarray(0, cols * K), biases };
}
