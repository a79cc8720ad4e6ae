/**
 * A bounded min-heap that keeps the best `capacity` entries seen, ordered by
 * (score descending, key ascending) — "best" = higher score, then lower key. The worst kept entry
 * sits at the root, so a stream of n offers costs O(n) comparisons plus O(log capacity) per entry
 * that gets in: top-k without sorting all n scores, in O(capacity) memory (two typed arrays).
 *
 * Keys are non-negative integers < 2^53 (flat indices, or `layerOrdinal·2^32 + rank`), so a strict
 * total order exists and ties are broken deterministically.
 */
export class RankedHeap {
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;
  private count = 0;
  private limit: number;

  constructor(capacity: number) {
    this.scores = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
    this.limit = capacity;
  }

  /** Entries currently kept. */
  get size(): number {
    return this.count;
  }

  /** Whether `capacity` entries are kept (then only better entries can get in). */
  get full(): boolean {
    return this.count >= this.limit;
  }

  /** Score of the worst kept entry (the root); only meaningful when `size > 0`. */
  get worstScore(): number {
    return this.scores[0]!;
  }

  /** Key of the worst kept entry. */
  get worstKey(): number {
    return this.keys[0]!;
  }

  /**
   * Offers an entry. Returns `true` if it was kept. When the heap is full and the entry beats the
   * worst, the worst is evicted and reported through `onEvict` (before this call returns).
   */
  offer(score: number, key: number, onEvict?: (score: number, key: number) => void): boolean {
    if (this.count < this.limit) {
      this.siftUp(this.count++, score, key);
      return true;
    }
    if (this.limit === 0 || !better(score, key, this.scores[0]!, this.keys[0]!)) return false;
    const evictedScore = this.scores[0]!;
    const evictedKey = this.keys[0]!;
    this.siftDown(0, score, key);
    onEvict?.(evictedScore, evictedKey);
    return true;
  }

  /**
   * Replaces the worst entry by one the caller has already checked to be better (hot-loop form
   * of {@link offer} on a full heap: no comparison, no callback).
   */
  replaceWorst(score: number, key: number): void {
    this.siftDown(0, score, key);
  }

  /** Lowers the capacity, evicting the worst entries (reported through `onEvict`) until it fits. */
  shrink(capacity: number, onEvict?: (score: number, key: number) => void): void {
    while (this.count > capacity) {
      const s = this.scores[0]!;
      const k = this.keys[0]!;
      this.count--;
      if (this.count > 0) this.siftDown(0, this.scores[this.count]!, this.keys[this.count]!);
      onEvict?.(s, k);
    }
    this.limit = Math.min(this.limit, capacity);
  }

  /** The kept entries, best first: `order[r]` is the heap slot of rank r; read with {@link scoreAt}/{@link keyAt}. */
  rankedSlots(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const { scores, keys } = this;
    order.sort((a, b) => (better(scores[a]!, keys[a]!, scores[b]!, keys[b]!) ? -1 : 1));
    return order;
  }

  scoreAt(slot: number): number {
    return this.scores[slot]!;
  }

  keyAt(slot: number): number {
    return this.keys[slot]!;
  }

  /** Places (score, key) at hole `i` and moves it towards the root while it is worse than its parent. */
  private siftUp(i: number, score: number, key: number): void {
    const { scores, keys } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!better(scores[parent]!, keys[parent]!, score, key)) break;
      scores[i] = scores[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    scores[i] = score;
    keys[i] = key;
  }

  /** Places (score, key) at hole `i` and moves it down while a child is worse. */
  private siftDown(i: number, score: number, key: number): void {
    const { scores, keys } = this;
    const n = this.count;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && better(scores[child]!, keys[child]!, scores[right]!, keys[right]!)) child = right;
      if (!better(score, key, scores[child]!, keys[child]!)) break;
      scores[i] = scores[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    scores[i] = score;
    keys[i] = key;
  }
}

/** Strict total order of entries: a higher score wins; equal scores, the lower key wins. */
export function better(scoreA: number, keyA: number, scoreB: number, keyB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && keyA < keyB);
}
