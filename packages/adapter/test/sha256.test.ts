import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256, toHex } from '../src/index';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('sha256 (pure TypeScript, browser-safe)', () => {
  // FIPS 180-4 / NIST CSRC example vectors.
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('FIPS 180-4 vector %j', (message, hex) => {
    expect(toHex(sha256(ascii(message)))).toBe(hex);
  });

  it('one million "a" fed in uneven chunks (FIPS 180-4 long vector)', () => {
    const h = new Sha256();
    const chunk = new Uint8Array(999).fill(0x61);
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      h.update(chunk.subarray(0, n));
      left -= n;
    }
    expect(toHex(h.digest())).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto on random messages split at random points', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat({ max: 400 }), { maxLength: 5 }), (data, cuts) => {
        const h = new Sha256();
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          const end = Math.min(c, data.length);
          if (end > at) {
            h.update(data.subarray(at, end));
            at = end;
          }
        }
        h.update(data.subarray(at));
        // A view with a non-zero byteOffset must hash the same as a copy.
        const padded = new Uint8Array(data.length + 3);
        padded.set(data, 3);
        const expected = createHash('sha256').update(data).digest('hex');
        expect(toHex(h.digest())).toBe(expected);
        expect(toHex(sha256(padded.subarray(3)))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses use after digest', () => {
    const h = new Sha256();
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow(/after digest/);
    expect(() => h.digest()).toThrow(/twice/);
  });
});
