import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { takeRows } from '../data/labelled-set';
import { mirrorImages } from '../data/mnist';
import { loadSentimentDomain, parseSentimentFixture, SENTIMENT_DOMAINS } from '../data/sentiment';
import { buildVocabulary, encode, PAD_ID, UNK_ID, words } from '../data/tokenizer';
import { DatasetFormatError } from '../errors';
import { argmaxFirst, meanStd } from '../stats';

describe('splits', () => {
  it('takeRows copies rows and rejects bad indices', () => {
    const set = { count: 3, width: 2, x: Float32Array.from([1, 2, 3, 4, 5, 6]), labels: Uint8Array.from([7, 8, 9]) };
    const t = takeRows(set, [2, 0]);
    expect(Array.from(t.x)).toEqual([5, 6, 1, 2]);
    expect(Array.from(t.labels)).toEqual([9, 7]);
    expect(() => takeRows(set, [3])).toThrow(/index 3 at position 0/);
  });
});

describe('mirror task', () => {
  it('mirrors each row and is an involution', () => {
    const x = Float32Array.from({ length: 784 * 2 }, (_, i) => i);
    const set = { count: 2, width: 784, x, labels: Uint8Array.from([1, 2]) };
    const m = mirrorImages(set);
    expect(m.x[0]).toBe(27);
    expect(m.x[784 + 28 + 27]).toBe(784 + 28);
    expect(Array.from(mirrorImages(m).x)).toEqual(Array.from(x));
  });
});

describe('sentiment fixtures', () => {
  it('every domain has 500 positive and 500 negative sentences after dropping the empty last record', () => {
    for (const d of SENTIMENT_DOMAINS) {
      const s = loadSentimentDomain(d);
      expect(s.length).toBe(1000);
      expect(s.filter((x) => x.label === 1).length).toBe(500);
    }
  });
  it('rejects malformed records by index, and keeps a non-empty last record', () => {
    expect(() => parseSentimentFixture('[{"text":"ok","class":2}]', 'f.json')).toThrow(DatasetFormatError);
    expect(() => parseSentimentFixture('[{"text":"ok","class":1},{"text":"","class":1}]', 'f.json')).toThrow(/record 1/);
    expect(() => parseSentimentFixture('{}', 'f.json')).toThrow(/array/);
    expect(parseSentimentFixture('[{"text":"ok","class":1},{"text":"","class":null}]', 'f.json')).toEqual([{ text: 'ok', label: 1 }]);
  });
});

describe('tokenizer', () => {
  it('builds a deterministic vocabulary after PAD and UNK, with a count threshold', () => {
    const v = buildVocabulary(['Good food, good service!', "Don't go", 'food'], 2);
    // Equal counts: alphabetical order.
    expect(v.ids.get('food')).toBe(2);
    expect(v.ids.get('good')).toBe(3);
    expect(v.ids.has('service')).toBe(false);
    expect(v.size).toBe(4);
    expect(words("Don't GO!")).toEqual(["don't", 'go']);
  });
  it('encodes with UNK for unseen words, pads and truncates to seqLen', () => {
    const v = buildVocabulary(['a b', 'a b'], 1);
    const out = new Float32Array(4);
    encode('a zzz b', v, 4, out);
    expect(Array.from(out)).toEqual([v.ids.get('a'), UNK_ID, v.ids.get('b'), PAD_ID]);
    encode('a a a a a a', v, 4, out);
    expect(Array.from(out)).toEqual([2, 2, 2, 2].map(() => v.ids.get('a')));
  });
});

describe('stats', () => {
  it('meanStd uses the sample std and matches a direct formula', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }), (v) => {
        const { mean, std } = meanStd(v);
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        expect(mean).toBeCloseTo(m, 12);
        expect(std).toBeCloseTo(Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)), 10);
      }),
    );
    expect(meanStd([0.5])).toEqual({ mean: 0.5, std: 0 });
    expect(() => meanStd([])).toThrow(RangeError);
  });
  it('argmaxFirst breaks ties towards the first index', () => {
    expect(argmaxFirst([0.2, 0.5, 0.5])).toBe(1);
    expect(() => argmaxFirst([])).toThrow(RangeError);
  });
});
