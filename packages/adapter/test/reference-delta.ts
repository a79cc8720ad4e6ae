import type { SshAdapter } from '../src/index';

const cas = (t: number) => Math.cos(t) + Math.sin(t);

/**
 * The slow, obvious ΔW: for every entry (m, n) of the [rows, cols] result, the sum over the
 * positions k of c_k times the inverse-DHT kernel at (u_k, v_k), times α and the inverse
 * normalisation factor — O(n·rows·cols), straight from docs/method.md ("The transform", "The adapter").
 */
export function referenceDelta(adapter: SshAdapter, layerName: string): Float64Array {
  const layer = adapter.layers.find((l) => l.name === layerName)!;
  const { rows, cols } = layer;
  const { variant, normalization } = adapter.config;
  const size = rows * cols;
  const factor = normalization === 'backward' ? 1 / size : normalization === 'ortho' ? 1 / Math.sqrt(size) : 1;
  const out = new Float64Array(size);
  for (let k = 0; k < layer.indices.length; k++) {
    const u = Math.floor(layer.indices[k]! / cols);
    const v = layer.indices[k]! % cols;
    const c = layer.coefficients[k]!;
    for (let m = 0; m < rows; m++) {
      for (let n = 0; n < cols; n++) {
        const kernel =
          variant === 'separable'
            ? cas((2 * Math.PI * ((u * m) % rows)) / rows) * cas((2 * Math.PI * ((v * n) % cols)) / cols)
            : cas(2 * Math.PI * (((u * m) % rows) / rows + ((v * n) % cols) / cols));
        out[m * cols + n] += layer.alpha * factor * c * kernel;
      }
    }
  }
  return out;
}
