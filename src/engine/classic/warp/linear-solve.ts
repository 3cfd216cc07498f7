/**
 * Dense linear solves for the small systems of the warp and render stages (a thin-plate spline
 * with a few dozen control points, a 6-term polynomial background fit). Gaussian elimination with
 * partial pivoting in double precision: these systems are tiny, so clarity beats a factorisation
 * library.
 */

/**
 * Solves `A X = B` for X in place of B. `a` is n×n row-major, `b` is n×m row-major (m right-hand
 * sides). Both arrays are overwritten. Returns false when A is singular to working precision
 * (a pivot below `1e-12` times the largest entry), in which case `b` holds garbage.
 */
export function solveInPlace(a: Float64Array, b: Float64Array, n: number, m: number): boolean {
  let largest = 0;
  for (let i = 0; i < n * n; i++) largest = Math.max(largest, Math.abs(a[i]));
  if (largest === 0) return false;
  const tiny = largest * 1e-12;
  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    let pivotAbs = Math.abs(a[col * n + col]);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(a[r * n + col]);
      if (v > pivotAbs) {
        pivotAbs = v;
        pivotRow = r;
      }
    }
    if (pivotAbs <= tiny) return false;
    if (pivotRow !== col) {
      for (let k = 0; k < n; k++) {
        const t = a[col * n + k];
        a[col * n + k] = a[pivotRow * n + k];
        a[pivotRow * n + k] = t;
      }
      for (let k = 0; k < m; k++) {
        const t = b[col * m + k];
        b[col * m + k] = b[pivotRow * m + k];
        b[pivotRow * m + k] = t;
      }
    }
    const pivot = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const factor = a[r * n + col] / pivot;
      if (factor === 0) continue;
      for (let k = col; k < n; k++) a[r * n + k] -= factor * a[col * n + k];
      for (let k = 0; k < m; k++) b[r * m + k] -= factor * b[col * m + k];
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    const pivot = a[row * n + row];
    for (let k = 0; k < m; k++) {
      let s = b[row * m + k];
      for (let c = row + 1; c < n; c++) s -= a[row * n + c] * b[c * m + k];
      b[row * m + k] = s / pivot;
    }
  }
  return true;
}
