import { ChunkTermCounts, foldIn } from './lsa-model';
import { orthonormalize, randomizedSvd, symmetricEigen } from './randomized-svd';
import type { SparseMatrix } from './sparse-matrix';

/** A dense matrix as CSR (zeros left out). */
function sparse(rows: number[][]): SparseMatrix {
  const rowStart = [0];
  const column: number[] = [];
  const value: number[] = [];
  for (const row of rows) {
    row.forEach((v, j) => {
      if (v !== 0) {
        column.push(j);
        value.push(v);
      }
    });
    rowStart.push(column.length);
  }
  return {
    rows: rows.length,
    columns: rows[0].length,
    rowStart: Int32Array.from(rowStart),
    column: Int32Array.from(column),
    value: Float32Array.from(value),
  };
}

describe('randomized truncated SVD', () => {
  it('recovers the singular values and right singular vectors of a low-rank matrix', async () => {
    // A = 5·u1·v1ᵀ + 2·u2·v2ᵀ with orthonormal u and v: 40 × 30.
    const u1 = Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 0) / Math.sqrt(20));
    const u2 = Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(40));
    const v1 = Array.from({ length: 30 }, (_, j) => (j < 10 ? 1 : 0) / Math.sqrt(10));
    const v2 = Array.from({ length: 30 }, (_, j) => (j >= 15 ? 1 : 0) / Math.sqrt(15));
    const a = u1.map((_, i) => v1.map((_, j) => 5 * u1[i] * v1[j] + 2 * u2[i] * v2[j]));
    const svd = await randomizedSvd(sparse(a), {
      rank: 2,
      oversampling: 5,
      powerIterations: 2,
      seed: 7,
    });
    expect(svd.rank).toBe(2);
    expect(svd.singularValues[0]).toBeCloseTo(5, 4);
    expect(svd.singularValues[1]).toBeCloseTo(2, 4);
    const column = (r: number) => Array.from({ length: 30 }, (_, j) => svd.v[j * 2 + r]);
    const dot = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y[i], 0);
    expect(Math.abs(dot(column(0), v1))).toBeCloseTo(1, 4);
    expect(Math.abs(dot(column(1), v2))).toBeCloseTo(1, 4);
    expect(dot(column(0), column(1))).toBeCloseTo(0, 4);
  });

  it('orthonormalizes columns and zeroes a dependent one', () => {
    const m = Float64Array.from([1, 2, 2, 0, 4, 0, 3, 1, 6]); // columns 0 and 2 are dependent
    orthonormalize(m, 3, 3);
    const col = (c: number) => [m[c], m[3 + c], m[6 + c]];
    const norm = (x: number[]) => Math.hypot(...x);
    expect(norm(col(0))).toBeCloseTo(1, 10);
    expect(norm(col(1))).toBeCloseTo(1, 10);
    expect(norm(col(2))).toBeCloseTo(0, 10);
    expect(col(0).reduce((s, x, i) => s + x * col(1)[i], 0)).toBeCloseTo(0, 10);
  });

  it('decomposes a symmetric matrix (Jacobi)', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
  });
});

describe('LSA tf-idf and fold-in', () => {
  it('keeps lexemes seen in at least minDf chunks and normalizes rows', () => {
    const counts = new ChunkTermCounts();
    counts.addChunk([
      { lexeme: 'wing', tf: 2 },
      { lexeme: 'lift', tf: 1 },
    ]);
    counts.addChunk([
      { lexeme: 'wing', tf: 1 },
      { lexeme: 'rare', tf: 1 },
    ]);
    const { matrix, lexemes } = counts.tfIdf(2, 100);
    expect(lexemes).toEqual(['wing']);
    expect(matrix.rows).toBe(2);
    expect(Array.from(matrix.value)).toEqual([1, 1]);
  });

  it('folds a text in as the normalized sum of its weighted term vectors, zero-padded', () => {
    const v = foldIn(
      [
        { tf: 1, vector: Float32Array.from([1, 0]) },
        { tf: 1, vector: Float32Array.from([0, 1]) },
        { tf: 3, vector: undefined },
      ],
      2,
      4,
    );
    expect(v).toEqual([expect.closeTo(Math.SQRT1_2, 6), expect.closeTo(Math.SQRT1_2, 6), 0, 0]);
    expect(foldIn([{ tf: 1, vector: undefined }], 2, 3)).toEqual([0, 0, 0]);
  });
});
