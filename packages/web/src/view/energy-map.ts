/**
 * The spectral energy map of one adapted weight: log₁₀ of the Hartley energy H0[u,v]² of W0
 * (the quantity the selection ranks), with the chosen positions outlined.
 */
import { dht2d } from '@ssh-peft/hartley';

/** log₁₀ H0², H0 = DHT2(W0) (separable, backward: the selection's defaults). */
export function logEnergy(weights: Float32Array, rows: number, cols: number): Float64Array {
  if (weights.length !== rows * cols) throw new RangeError(`logEnergy: ${weights.length} weights, expected ${rows}×${cols}`);
  const spectrum = dht2d(Float64Array.from(weights), rows, cols, { variant: 'separable', normalization: 'backward' });
  const out = new Float64Array(spectrum.length);
  for (let i = 0; i < spectrum.length; i++) out[i] = Math.log10(spectrum[i] * spectrum[i] + 1e-12);
  return out;
}

/** A perceptual dark-blue → teal → yellow ramp for t in [0, 1]. */
function ramp(t: number): [number, number, number] {
  const stops: Array<[number, number, number]> = [
    [20, 24, 82],
    [40, 90, 160],
    [30, 160, 150],
    [140, 205, 90],
    [250, 230, 60],
  ];
  const p = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(p);
  const f = p - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]))) as [number, number, number];
}

/**
 * Draws the map of a `[rows, cols]` weight into `canvas`, chosen positions outlined in red.
 *
 * @example
 * ```ts
 * drawEnergyMap(canvas, layer.weights, layer.rows, layer.cols, layer.indices);
 * ```
 */
export function drawEnergyMap(canvas: HTMLCanvasElement, weights: Float32Array, rows: number, cols: number, chosen: Uint32Array): void {
  const energy = logEnergy(weights, rows, cols);
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of energy) {
    lo = Math.min(lo, e);
    hi = Math.max(hi, e);
  }
  // Clip the lowest decades: a few near-zero coefficients would flatten the ramp.
  lo = Math.max(lo, hi - 6);
  const cell = Math.max(3, Math.floor(Math.min(512 / cols, 320 / rows)));
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const g = canvas.getContext('2d');
  if (g === null) return;
  const image = g.createImageData(cols * cell, rows * cell);
  for (let u = 0; u < rows; u++) {
    for (let v = 0; v < cols; v++) {
      const [r, gr, b] = ramp((energy[u * cols + v] - lo) / (hi - lo || 1));
      for (let dy = 0; dy < cell; dy++) {
        for (let dx = 0; dx < cell; dx++) {
          const o = 4 * ((u * cell + dy) * cols * cell + v * cell + dx);
          image.data[o] = r;
          image.data[o + 1] = gr;
          image.data[o + 2] = b;
          image.data[o + 3] = 255;
        }
      }
    }
  }
  g.putImageData(image, 0, 0);
  g.strokeStyle = '#ff2d55';
  g.lineWidth = 1.5;
  for (const flat of chosen) {
    const u = Math.floor(flat / cols);
    const v = flat % cols;
    g.strokeRect(v * cell + 0.75, u * cell + 0.75, cell - 1.5, cell - 1.5);
  }
}
