import { multiply, multiplyTransposed, type SparseMatrix } from './sparse-matrix';
import { mulberry32 } from '../../../core/random/mulberry32';

export interface SvdOptions {
  rank: number;
  /** Extra random directions beyond the rank (Halko, Martinsson & Tropp: 5–10 is plenty; 10). */
  oversampling: number;
  /** Power iterations: each sharpens the spectrum at the cost of two passes over the matrix. */
  powerIterations: number;
  seed: number;
}

export interface TruncatedSvd {
  rank: number;
  /** Singular values, largest first. */
  singularValues: Float64Array;
  /** Right singular vectors as rows: columns × rank, row-major (one row per term). */
  v: Float32Array;
}

/** Gives the event loop a turn between long passes (BullMQ renews its job lock on it). */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1): a Gaussian
 * sketch of the row space, power iterations with re-orthonormalization, then the exact SVD of the
 * small projected matrix through its Gram matrix. Orthonormalization is Cholesky QR (cheap on
 * tall matrices), twice before the final projection (CholeskyQR2 restores orthogonality).
 */
export async function randomizedSvd(a: SparseMatrix, options: SvdOptions): Promise<TruncatedSvd> {
  const width = Math.max(1, Math.min(options.rank + options.oversampling, a.rows, a.columns));
  const random = gaussian(options.seed);
  const omega = new Float64Array(a.columns * width);
  for (let i = 0; i < omega.length; i++) omega[i] = random();
  let y = multiply(a, omega, width);
  orthonormalize(y, a.rows, width, 1);
  await breathe();
  // Power iterations re-orthonormalize the chunk side only (rows ≤ the sample size): the term
  // side has up to 60,000 rows, and in float64 two unnormalized half-steps lose nothing that
  // the next orthonormalization does not restore (measured: same singular values to 1e-6).
  for (let q = 0; q < options.powerIterations; q++) {
    const z = multiplyTransposed(a, y, width);
    await breathe();
    y = multiply(a, z, width);
    orthonormalize(y, a.rows, width, q === options.powerIterations - 1 ? 2 : 1);
    await breathe();
  }
  if (options.powerIterations === 0) orthonormalize(y, a.rows, width, 1);
  // Bᵀ = Aᵀ·Q (columns × width); B·Bᵀ = (Bᵀ)ᵀ·Bᵀ is width × width.
  const bt = multiplyTransposed(a, y, width);
  y = new Float64Array(0);
  await breathe();
  const gram = gramMatrix(bt, a.columns, width);
  const { values, vectors } = symmetricEigen(gram, width);
  const order = [...values.keys()].sort((i, j) => values[j] - values[i]);
  const rank = Math.min(options.rank, order.filter((i) => values[i] > 1e-10).length);
  const singularValues = new Float64Array(rank);
  for (let r = 0; r < rank; r++) singularValues[r] = Math.sqrt(values[order[r]]);
  // V = Bᵀ · U_B · S⁻¹.
  const projection = new Float64Array(width * rank);
  for (let r = 0; r < rank; r++)
    for (let c = 0; c < width; c++)
      projection[c * rank + r] = vectors[c * width + order[r]] / singularValues[r];
  const v = new Float32Array(a.columns * rank);
  for (let t = 0; t < a.columns; t++) {
    const bo = t * width;
    const vo = t * rank;
    for (let c = 0; c < width; c++) {
      const b = bt[bo + c];
      if (b === 0) continue;
      const po = c * rank;
      for (let r = 0; r < rank; r++) v[vo + r] += b * projection[po + r];
    }
  }
  return { rank, singularValues, v };
}

/** Mᵀ·M for M (rows × width) row-major; only the upper triangle is summed, then mirrored. */
export function gramMatrix(m: Float64Array, rows: number, width: number): Float64Array {
  const g = new Float64Array(width * width);
  for (let i = 0; i < rows; i++) {
    const o = i * width;
    for (let a = 0; a < width; a++) {
      const x = m[o + a];
      if (x === 0) continue;
      const go = a * width;
      for (let b = a; b < width; b++) g[go + b] += x * m[o + b];
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) g[a * width + b] = g[b * width + a];
  return g;
}

/**
 * Cholesky QR in place, `passes` times (2 = CholeskyQR2, orthogonal to machine precision);
 * columns that are (numerically) dependent become zero.
 */
export function orthonormalize(m: Float64Array, rows: number, width: number, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) {
    const l = cholesky(gramMatrix(m, rows, width), width);
    const row = new Float64Array(width);
    for (let i = 0; i < rows; i++) {
      const o = i * width;
      // Solve q·Lᵀ = m_row for q (L lower triangular, rows contiguous), forward over columns.
      for (let b = 0; b < width; b++) {
        const lo = b * width;
        const d = l[lo + b];
        if (d === 0) {
          row[b] = 0;
          continue;
        }
        let s = m[o + b];
        for (let a = 0; a < b; a++) s -= row[a] * l[lo + a];
        row[b] = s / d;
      }
      m.set(row, o);
    }
  }
}

/** Lower-triangular L with L·Lᵀ = G; a pivot that vanishes gives a zero column (dropped). */
function cholesky(g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, g[i * n + i]);
  const tiny = Math.max(scale, 1e-300) * 1e-12;
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let d = g[jo + j];
    for (let k = 0; k < j; k++) d -= l[jo + k] * l[jo + k];
    if (d <= tiny) continue;
    const ljj = Math.sqrt(d);
    l[jo + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let s = g[io + j];
      for (let k = 0; k < j; k++) s -= l[io + k] * l[jo + k];
      l[io + j] = s / ljj;
    }
  }
  return l;
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix; vectors are columns. */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < n; p++)
      for (let q = 0; q < n; q++) {
        const x = a[p * n + q] * a[p * n + q];
        total += x;
        if (p !== q) off += x;
      }
    if (off <= 1e-22 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

/** Deterministic standard normal numbers (mulberry32 + Box–Muller): the same model every run. */
function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
