/**
 * Word-level tokenizer: lower-cased words (letters, digits, apostrophes), a vocabulary
 * built from the pretraining domains only, id 0 = padding, id 1 = unknown word.
 */
export const PAD_ID = 0;
export const UNK_ID = 1;

/** Lower-cased word tokens of `text`. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9']+/g)?.filter((w) => w !== "'") ?? [];
}

export interface Vocabulary {
  readonly ids: ReadonlyMap<string, number>;
  /** Number of ids including PAD and UNK. */
  readonly size: number;
}

/**
 * Words seen at least `minCount` times in `texts`, ordered by count then alphabetically
 * (deterministic), after PAD and UNK.
 *
 * @example
 * ```ts
 * const vocab = buildVocabulary(['good food', 'good'], 1); // good → 2, food → 3
 * ```
 */
export function buildVocabulary(texts: readonly string[], minCount: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of words(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const kept = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const ids = new Map<string, number>();
  kept.forEach(([w], i) => ids.set(w, i + 2));
  return { ids, size: kept.length + 2 };
}

/** Token ids of `text`, truncated or right-padded with PAD to `seqLen`, written to `out`. */
export function encode(text: string, vocab: Vocabulary, seqLen: number, out: Float32Array): void {
  const ws = words(text);
  for (let i = 0; i < seqLen; i++) out[i] = i < ws.length ? (vocab.ids.get(ws[i]) ?? UNK_ID) : PAD_ID;
}
