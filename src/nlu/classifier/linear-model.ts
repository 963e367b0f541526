/**
 * A trained linear scorer stored sparsely by feature (the classes a feature speaks for, with what
 * weight), its weights quantised to 16 bits. Quantisation happens once after training, so a model and
 * its JSON round-trip predict exactly the same scores.
 */
import type { DenseLinear } from './crammer-singer.ts';
import { float32FromBase64, int16FromBase64, toBase64, uint16FromBase64 } from './base64-arrays.ts';

export interface LinearModel {
  classes: number;
  features: number;
  biases: Float32Array;
  /** Entries of feature f are featureStart[f] .. featureStart[f + 1] - 1. */
  featureStart: Int32Array;
  classIds: Uint16Array;
  weights: Float32Array;
  /** Quantisation step: every weight is an integer multiple of it. */
  step: number;
}

export interface LinearModelJson {
  classes: number;
  features: number;
  step: number;
  /** Base64 of little-endian typed arrays. */
  biases: string;
  counts: string;
  classIds: string;
  weights: string;
}

const QUANT_LEVELS = 4095;

export function sparsify(dense: DenseLinear): LinearModel {
  const { classes, features, weights } = dense;
  if (classes > 65535) throw new Error('too many intents for one model (at most 65535)');
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) {
    const v = weights[i]!;
    if (v > maxAbs) maxAbs = v;
    else if (-v > maxAbs) maxAbs = -v;
  }
  const step = maxAbs > 0 ? maxAbs / QUANT_LEVELS : 1;
  // Weights that round to zero are dropped (|w| < step / 2; the bound sits inside the rounding gap).
  const cut = step * 0.5000001;
  const featureStart = new Int32Array(features + 1);
  let nnz = 0;
  for (let f = 0; f < features; f++) {
    const row = f * classes;
    for (let c = 0; c < classes; c++) {
      const v = weights[row + c]!;
      if (v >= cut || v <= -cut) nnz++;
    }
    featureStart[f + 1] = nnz;
  }
  const classIds = new Uint16Array(nnz);
  const quantised = new Float32Array(nnz);
  let at = 0;
  for (let f = 0; f < features; f++) {
    const row = f * classes;
    for (let c = 0; c < classes; c++) {
      const v = weights[row + c]!;
      if (v < cut && v > -cut) continue;
      classIds[at] = c;
      quantised[at] = Math.round(v / step) * step;
      at++;
    }
  }
  return {
    classes,
    features,
    biases: Float32Array.from(dense.biases),
    featureStart,
    classIds,
    weights: quantised,
    step,
  };
}

/** Raw decision score of every class, for the first `size` entries of a sparse vector, into `scores`. */
export function scoreInto(
  model: LinearModel,
  indices: Int32Array,
  values: Float32Array,
  size: number,
  scores: Float64Array,
): Float64Array {
  const { biases, featureStart, classIds, weights } = model;
  for (let c = 0; c < model.classes; c++) scores[c] = biases[c]!;
  for (let k = 0; k < size; k++) {
    const f = indices[k]!;
    const v = values[k]!;
    for (let e = featureStart[f]!; e < featureStart[f + 1]!; e++) scores[classIds[e]!]! += weights[e]! * v;
  }
  return scores;
}

export function linearModelToJSON(model: LinearModel): LinearModelJson {
  const counts = new Uint16Array(model.features);
  for (let f = 0; f < model.features; f++) counts[f] = model.featureStart[f + 1]! - model.featureStart[f]!;
  const q = Int16Array.from(model.weights, (w) => Math.round(w / model.step));
  return {
    classes: model.classes,
    features: model.features,
    step: model.step,
    biases: toBase64(model.biases),
    counts: toBase64(counts),
    classIds: toBase64(model.classIds),
    weights: toBase64(q),
  };
}

export function linearModelFromJSON(json: LinearModelJson): LinearModel {
  const { classes, features, step } = json;
  if (!Number.isInteger(classes) || !Number.isInteger(features) || !(step > 0))
    throw new Error('linear model sizes are invalid');
  const biases = float32FromBase64(json.biases, 'biases');
  const counts = uint16FromBase64(json.counts, 'counts');
  const classIds = uint16FromBase64(json.classIds, 'classIds');
  const q = int16FromBase64(json.weights, 'weights');
  if (biases.length !== classes || counts.length !== features || classIds.length !== q.length) {
    throw new Error('linear model arrays do not match its declared sizes');
  }
  const featureStart = new Int32Array(features + 1);
  for (let f = 0; f < features; f++) featureStart[f + 1] = featureStart[f]! + counts[f]!;
  if (featureStart[features] !== q.length)
    throw new Error('linear model feature counts do not add up to its weights');
  for (const c of classIds)
    if (c >= classes) throw new Error('linear model refers to a class it does not have');
  return {
    classes,
    features,
    biases,
    featureStart,
    classIds,
    weights: Float32Array.from(q, (v) => v * step),
    step,
  };
}
