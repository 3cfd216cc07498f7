/**
 * Pull–push (Gortler et al., "The Lumigraph", 1996) scattered-data fill: halve the image repeatedly
 * averaging only known samples, then come back up filling every unknown sample from the coarser
 * level by bilinear interpolation. O(pixels), no iterations to converge, smooth across holes of
 * any width, so it suits both thin bands and wide regions of slowly varying data (background
 * residuals, skin tone). It cannot invent texture: fills come out as smooth as the data allows.
 */

/**
 * `values`: w·h·channels interleaved samples; `weights`: w·h confidences in 0..1 (1 = known,
 * 0 = unknown). Returns a new array where known samples are kept (weight 1 exactly) and every
 * other sample blends its own value with the interpolated fill by its weight. Returns null when no
 * sample is known at all.
 */
export function pullPushFill(values: Float32Array, weights: Float32Array, w: number, h: number, channels: number): Float32Array | null {
  const levelValues: Float32Array[] = [values];
  const levelWeights: Float32Array[] = [weights];
  const widths = [w];
  const heights = [h];
  // Pull: coarser levels hold weighted averages of their 2×2 children, weight capped at 1.
  for (;;) {
    const k = levelValues.length - 1;
    const cw = widths[k];
    const ch = heights[k];
    if (cw === 1 && ch === 1) break;
    const pw = Math.ceil(cw / 2);
    const ph = Math.ceil(ch / 2);
    const pv = new Float32Array(pw * ph * channels);
    const pwt = new Float32Array(pw * ph);
    const cv = levelValues[k];
    const cwt = levelWeights[k];
    for (let y = 0; y < ch; y++) {
      const prow = (y >> 1) * pw;
      for (let x = 0; x < cw; x++) {
        const i = y * cw + x;
        const wt = cwt[i];
        if (wt === 0) continue;
        const o = prow + (x >> 1);
        pwt[o] += wt;
        for (let c = 0; c < channels; c++) pv[o * channels + c] += wt * cv[i * channels + c];
      }
    }
    for (let o = 0; o < pw * ph; o++) {
      const wt = pwt[o];
      if (wt > 0) {
        for (let c = 0; c < channels; c++) pv[o * channels + c] /= wt;
        pwt[o] = Math.min(1, wt);
      }
    }
    levelValues.push(pv);
    levelWeights.push(pwt);
    widths.push(pw);
    heights.push(ph);
  }
  const top = levelValues.length - 1;
  if (levelWeights[top][0] === 0) return null;

  // Push: each level's unknowns take the bilinear interpolation of the (already filled) level above.
  let filled = levelValues[top];
  for (let k = top - 1; k >= 0; k--) {
    const cw = widths[k];
    const ch = heights[k];
    const pw = widths[k + 1];
    const ph = heights[k + 1];
    const own = levelValues[k];
    const wts = levelWeights[k];
    const out = new Float32Array(cw * ch * channels);
    // Column lookups of the coarser level, shared by every row.
    const x0s = new Int32Array(cw);
    const x1s = new Int32Array(cw);
    const txs = new Float32Array(cw);
    for (let x = 0; x < cw; x++) {
      const fx = Math.min(Math.max((x + 0.5) / 2 - 0.5, 0), pw - 1);
      x0s[x] = Math.floor(fx);
      x1s[x] = Math.min(x0s[x] + 1, pw - 1);
      txs[x] = fx - x0s[x];
    }
    for (let y = 0; y < ch; y++) {
      const fy = Math.min(Math.max((y + 0.5) / 2 - 0.5, 0), ph - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, ph - 1);
      const ty = fy - y0;
      const r0 = y0 * pw;
      const r1 = y1 * pw;
      for (let x = 0; x < cw; x++) {
        const i = y * cw + x;
        const wt = wts[i];
        const o = i * channels;
        if (wt >= 1) {
          for (let c = 0; c < channels; c++) out[o + c] = own[o + c];
          continue;
        }
        const tx = txs[x];
        const a = (r0 + x0s[x]) * channels;
        const b = (r0 + x1s[x]) * channels;
        const cc = (r1 + x0s[x]) * channels;
        const d = (r1 + x1s[x]) * channels;
        for (let c = 0; c < channels; c++) {
          const top0 = filled[a + c] + (filled[b + c] - filled[a + c]) * tx;
          const bot0 = filled[cc + c] + (filled[d + c] - filled[cc + c]) * tx;
          const coarse = top0 + (bot0 - top0) * ty;
          out[o + c] = wt * own[o + c] + (1 - wt) * coarse;
        }
      }
    }
    filled = out;
  }
  return filled;
}
