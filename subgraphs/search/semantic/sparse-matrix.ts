/**
 * A sparse matrix in compressed sparse row form (rows = chunks, columns = terms), in flat typed
 * arrays: no per-row objects, so 100,000 chunks cost their non-zeros and little else.
 */
export interface SparseMatrix {
  rows: number;
  columns: number;
  rowStart: Int32Array;
  column: Int32Array;
  value: Float32Array;
}

/** Y (rows × width) = A · X, with X (columns × width) row-major. */
export function multiply(a: SparseMatrix, x: Float64Array, width: number): Float64Array {
  const y = new Float64Array(a.rows * width);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * width;
    for (let p = a.rowStart[i]; p < a.rowStart[i + 1]; p++) {
      const v = a.value[p];
      const xo = a.column[p] * width;
      for (let c = 0; c < width; c++) y[yo + c] += v * x[xo + c];
    }
  }
  return y;
}

/** Z (columns × width) = Aᵀ · Y, with Y (rows × width) row-major. */
export function multiplyTransposed(a: SparseMatrix, y: Float64Array, width: number): Float64Array {
  const z = new Float64Array(a.columns * width);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * width;
    for (let p = a.rowStart[i]; p < a.rowStart[i + 1]; p++) {
      const v = a.value[p];
      const zo = a.column[p] * width;
      for (let c = 0; c < width; c++) z[zo + c] += v * y[yo + c];
    }
  }
  return z;
}
