import { better } from './ranked-heap';
import type { SeededRandom } from './random';

/**
 * A uniformly random permutation of [0, n), produced one entry at a time by a sparse Fisher–Yates
 * shuffle: step i swaps slot i with slot i + nextInt(n − i), displaced slots remembered in a Map,
 * so k entries cost O(k) time and memory however large n is. Entry i depends only on the draws
 * before it, so any prefix is the same whatever is drawn after it.
 */
export class PermutationStream {
  private readonly displaced = new Map<number, number>();
  private i = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly n: number,
  ) {}

  /** Whether all n entries have been produced. */
  get exhausted(): boolean {
    return this.i >= this.n;
  }

  /** The next entry (call only while not exhausted). */
  next(): number {
    const { i, displaced } = this;
    const j = i + this.random.nextInt(this.n - i);
    const atJ = displaced.get(j) ?? j;
    const atI = displaced.get(i) ?? i;
    displaced.set(j, atI);
    displaced.delete(i);
    this.i = i + 1;
    return atJ;
  }
}

/** The first `k` entries (at most n) of the permutation drawn from `random`. */
export function randomPermutationPrefix(random: SeededRandom, n: number, k: number): Uint32Array {
  const stream = new PermutationStream(random, n);
  const out = new Uint32Array(Math.min(k, n));
  for (let i = 0; i < out.length; i++) out[i] = stream.next();
  return out;
}

/**
 * The boundary of a layer's energy-chosen set: its last (worst) member, or none. A position is in
 * the top-e set iff it ranks at least as well as the boundary (ranking = energy descending, then
 * lower flat index), so membership needs no set of positions.
 */
export interface RankBoundary {
  readonly energy: number;
  readonly index: number;
}

/** Whether (energy, index) ranks strictly below the boundary, i.e. is outside the top set it closes. */
export function outside(boundary: RankBoundary | undefined, energy: number, index: number): boolean {
  return boundary === undefined || better(boundary.energy, boundary.index, energy, index);
}

/** Drawn permutation entries and H² there. */
export interface Draws {
  positions: Uint32Array;
  energies: Float64Array;
}

/**
 * Draws permutation entries until `wanted` of them lie outside `boundary` (or the permutation is
 * exhausted), keeping every entry drawn — those inside too, since a smaller top set chosen later
 * may release them. Energies are read from the layer's spectrum while it is still in memory.
 */
export function drawOutside(stream: PermutationStream, spectrum: Float32Array | Float64Array, boundary: RankBoundary | undefined, wanted: number): Draws {
  let positions = new Uint32Array(Math.max(16, wanted));
  let energies = new Float64Array(positions.length);
  let length = 0;
  let found = 0;
  while (found < wanted && !stream.exhausted) {
    const p = stream.next();
    const h = spectrum[p]!;
    const e = h * h;
    if (length === positions.length) {
      const grownP = new Uint32Array(2 * length);
      const grownE = new Float64Array(2 * length);
      grownP.set(positions);
      grownE.set(energies);
      positions = grownP;
      energies = grownE;
    }
    positions[length] = p;
    energies[length++] = e;
    if (outside(boundary, e, p)) found++;
  }
  return { positions: positions.slice(0, length), energies: energies.slice(0, length) };
}

/** Slots of the first `count` drawn entries outside `boundary`, in draw order. */
export function firstOutside(draws: Draws, boundary: RankBoundary | undefined, count: number): Uint32Array {
  const slots = new Uint32Array(count);
  let taken = 0;
  for (let s = 0; s < draws.positions.length && taken < count; s++) {
    if (outside(boundary, draws.energies[s]!, draws.positions[s]!)) slots[taken++] = s;
  }
  if (taken < count) {
    throw new Error(`internal: ${draws.positions.length} drawn positions gave ${taken} of the ${count} needed outside the energy-chosen set`);
  }
  return slots;
}

/** Positions and energies of the first `count` drawn entries outside `boundary`, in draw order (a plan's random share). */
export function takeOutside(draws: Draws, boundary: RankBoundary | undefined, count: number): { indices: Uint32Array; energies: Float64Array } {
  const slots = firstOutside(draws, boundary, count);
  const indices = new Uint32Array(count);
  const energies = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    indices[r] = draws.positions[slots[r]!]!;
    energies[r] = draws.energies[slots[r]!]!;
  }
  return { indices, energies };
}

/** Length of the shortest prefix of `draws` holding `wanted` entries outside `boundary` (all of it if fewer). */
export function prefixHolding(draws: Draws, boundary: RankBoundary | undefined, wanted: number): number {
  if (wanted === 0) return 0;
  let found = 0;
  for (let s = 0; s < draws.positions.length; s++) {
    if (outside(boundary, draws.energies[s]!, draws.positions[s]!) && ++found === wanted) return s + 1;
  }
  return draws.positions.length;
}
