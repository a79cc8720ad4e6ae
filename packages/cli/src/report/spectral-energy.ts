import { dht2d, type Normalization, type Variant2D } from '@ssh-peft/hartley';

/**
 * Spectral energy E[u,v] = H0[u,v]² of a `[rows, cols]` weight, H0 = DHT2(W0) with the
 * same variant and normalisation the selection used (so the map shows what was ranked).
 */
export function spectralEnergy(
  weights: Float32Array | Float64Array,
  rows: number,
  cols: number,
  { variant = 'separable', normalization = 'backward' }: { variant?: Variant2D; normalization?: Normalization } = {},
): Float64Array {
  if (weights.length !== rows * cols) throw new RangeError(`spectralEnergy: ${weights.length} weights, expected ${rows}×${cols} = ${rows * cols}`);
  const spectrum = dht2d(Float64Array.from(weights), rows, cols, { variant, normalization });
  const energy = new Float64Array(spectrum.length);
  for (let i = 0; i < spectrum.length; i++) energy[i] = spectrum[i] * spectrum[i];
  return energy;
}
