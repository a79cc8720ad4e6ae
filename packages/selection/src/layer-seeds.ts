/**
 * The two per-layer seeds of the project, side by side. Both hash the layer name with FNV-1a
 * (32-bit) and mix in the user's seed, so a layer's random draws depend only on (seed, name) —
 * not on the layer's position or on which other layers are adapted. They differ on purpose (the
 * random positions and the initial coefficients of a layer must not come from one stream), and
 * their values are fixed by the adapter format and the selection plans: never change either.
 *
 * | function | hashes | mixes the seed | result | used for |
 * |---|---|---|---|---|
 * | {@link layerStreamSeed} | UTF-8 bytes of the name | all 53 bits | safe integer < 2^53 | random share of `selectSpectrum` |
 * | {@link layerInitSeed} | UTF-16 code units of the name | low 32 bits | unsigned 32-bit | `'normal'` adapter initialisation, LoRA/FourierFT baselines |
 *
 * For ASCII names the two hashes agree; they differ for other characters and for seeds ≥ 2^32
 * or negative.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_32 = 4294967296;

/** FNV-1a (32-bit) over a sequence of units (bytes or code units), unsigned. */
function fnv1a32(units: { readonly length: number; readonly [i: number]: number } | string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < units.length; i++) {
    hash ^= typeof units === 'string' ? units.charCodeAt(i) : units[i]!;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * Seed of a layer's random-position stream in `selectSpectrum`. h = FNV-1a 32-bit over the UTF-8
 * bytes of `name`; with the seed as 64-bit two's complement (lo, hi words):
 * result = (hi mod 2^21)·2^32 + (lo XOR h), a safe integer for `createRandom`.
 *
 * @example
 * ```ts
 * import { createRandom, layerStreamSeed } from '@ssh-peft/selection';
 * const random = createRandom(layerStreamSeed(7, 'encoder.0.query'));
 * ```
 */
export function layerStreamSeed(seed: number, name: string): number {
  const hash = fnv1a32(new TextEncoder().encode(name));
  const wide = BigInt.asUintN(64, BigInt(seed));
  const lo = (Number(wide & 0xffffffffn) ^ hash) >>> 0;
  const hiWord = Number((wide >> 32n) & 0x1fffffn);
  return hiWord * TWO_32 + lo;
}

/**
 * Seed of a layer's initial values: the adapter's `'normal'` initialisation and the LoRA and
 * FourierFT baselines. FNV-1a 32-bit over the UTF-16 code units of `name`, XOR the low 32 bits
 * of `seed`, as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * import { createRandom, layerInitSeed } from '@ssh-peft/selection';
 * const first = createRandom(layerInitSeed(7, 'dense')).nextNormal(); // = adapter coefficient 0 / std
 * ```
 */
export function layerInitSeed(seed: number, name: string): number {
  return (fnv1a32(name) ^ Number(BigInt.asUintN(32, BigInt(seed)))) >>> 0;
}
