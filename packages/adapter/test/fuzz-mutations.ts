import fc from 'fast-check';
import { AdapterFormatError, decodeAdapter, encodeAdapter, validateAdapter } from '../src/index';

/** One way of damaging a valid file. */
export type Mutation =
  | { kind: 'flip'; edits: Array<{ at: number; value: number }> }
  | { kind: 'truncate'; length: number }
  | { kind: 'splice'; at: number; remove: number; insert: number[] }
  | { kind: 'length'; value: number }
  | { kind: 'dataFlip'; edits: Array<{ at: number; value: number }> }
  | { kind: 'dataWord'; at: number; word: number | 'copy-previous' };

/**
 * A position as a fraction of the file in [0, 1). Not `fc.double`: doubles are drawn over their
 * representations, almost all of which are tiny, so nearly every edit would land on byte 0. Drawn
 * from integers, biased runs still favour the start (headers) and unbiased ones are uniform.
 */
const fraction = fc.integer({ min: 0, max: 2 ** 30 - 1 }).map((k) => k / 2 ** 30);

/** Mutations of a file of `size` bytes, positions as fractions so they scale with the file. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    edits: fc.array(fc.record({ at: fraction, value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
  }) as fc.Arbitrary<Mutation>,
  fc.record({ kind: fc.constant('truncate' as const), length: fraction }) as fc.Arbitrary<Mutation>,
  fc.record({
    kind: fc.constant('splice' as const),
    at: fraction,
    remove: fc.integer({ min: 0, max: 8 }),
    insert: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }),
  }) as fc.Arbitrary<Mutation>,
  fc.record({ kind: fc.constant('length' as const), value: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(0xffffffff)) }) as fc.Arbitrary<Mutation>,
  // Edits inside the tensor data only: the header stays valid, so the value checks (positions in
  // range, distinct, finite coefficients) are what must hold.
  fc.record({
    kind: fc.constant('dataFlip' as const),
    edits: fc.array(fc.record({ at: fraction, value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
  }) as fc.Arbitrary<Mutation>,
  // A whole aligned 32-bit word in the data set to a value that matters: NaN/±Inf bit patterns, a
  // huge or negative I64 half, zero, or a copy of the word 8 bytes earlier (a duplicated index).
  fc.record({
    kind: fc.constant('dataWord' as const),
    at: fraction,
    word: fc.oneof(fc.constantFrom(0x7fc00000, 0x7f800000, 0xff800000, 0xffffffff, 0x80000000, 0, 1, 'copy-previous' as const), fc.nat()),
  }) as fc.Arbitrary<Mutation>,
);

/** Applies a mutation to a copy of `bytes`. */
export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  switch (m.kind) {
    case 'flip': {
      const out = bytes.slice();
      for (const e of m.edits) out[Math.floor(e.at * n)] = e.value;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, Math.floor(m.length * n));
    case 'splice': {
      const at = Math.floor(m.at * n);
      const out = new Uint8Array(n - Math.min(m.remove, n - at) + m.insert.length);
      out.set(bytes.subarray(0, at), 0);
      out.set(m.insert, at);
      out.set(bytes.subarray(Math.min(n, at + m.remove)), at + m.insert.length);
      return out;
    }
    case 'dataFlip': {
      const out = bytes.slice();
      if (n < 8) return out;
      const start = 8 + new DataView(out.buffer).getUint32(0, true);
      if (start >= n) return out;
      for (const e of m.edits) out[start + Math.floor(e.at * (n - start))] = e.value;
      return out;
    }
    case 'dataWord': {
      const out = bytes.slice();
      if (n < 8) return out;
      const start = 8 + new DataView(out.buffer).getUint32(0, true);
      const words = Math.floor((n - start) / 4);
      if (start >= n || words === 0) return out;
      const at = start + 4 * Math.floor(m.at * words);
      const view = new DataView(out.buffer);
      if (m.word === 'copy-previous') {
        if (at - 8 >= start) view.setUint32(at, view.getUint32(at - 8, true), true);
      } else {
        view.setUint32(at, m.word >>> 0, true);
      }
      return out;
    }
    case 'length': {
      const out = bytes.slice();
      if (out.length >= 4) new DataView(out.buffer).setUint32(0, m.value, true);
      return out;
    }
  }
}

/**
 * The fuzz contract: decoding damaged bytes either returns an adapter that passes
 * validation (and re-encodes), or throws AdapterFormatError. Anything else is a bug.
 * Returns which of the two happened.
 */
export function checkDecodeContract(bytes: Uint8Array): 'valid' | 'rejected' {
  let adapter;
  try {
    adapter = decodeAdapter(bytes, { file: 'fuzz.safetensors' });
  } catch (e) {
    if (e instanceof AdapterFormatError) return 'rejected';
    throw new Error(`decoder threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
  }
  validateAdapter(adapter);
  encodeAdapter(adapter);
  return 'valid';
}
