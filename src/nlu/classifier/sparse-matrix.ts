import type { SparseVector } from './features.ts';

/** Rows of sparse feature vectors in compressed-row form: row r is indices/values[rowStart[r]..rowStart[r+1]). */
export interface SparseMatrix {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export function toSparseMatrix(vectors: SparseVector[], cols: number): SparseMatrix {
  let nnz = 0;
  for (const v of vectors) nnz += v.indices.length;
  const rowStart = new Int32Array(vectors.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  vectors.forEach((v, r) => {
    rowStart[r] = at;
    indices.set(v.indices, at);
    values.set(v.values, at);
    at += v.indices.length;
  });
  rowStart[vectors.length] = at;
  return { rows: vectors.length, cols, rowStart, indices, values };
}
