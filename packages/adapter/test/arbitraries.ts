import fc from 'fast-check';
import type { JsonValue, SshAdapter, SshAdapterLayer } from '../src/index';

/** -0 does not survive JSON (it prints as 0), so JSON-stored numbers are drawn without it. */
const noNegZero = (x: number) => (Object.is(x, -0) ? 0 : x);

export const layerNameArb = fc.oneof(
  fc.constantFrom('dense', 'encoder.0.attention.query', 'h.11.mlp.c_fc', 'ü-ñ.λ', 'a.indices', 'x'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '__metadata__'),
);

export function layerArb(name: string, maxDim = 12): fc.Arbitrary<SshAdapterLayer> {
  return fc
    .record({ rows: fc.integer({ min: 1, max: maxDim }), cols: fc.integer({ min: 1, max: maxDim }) })
    .chain(({ rows, cols }) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: rows * cols - 1 }), { maxLength: Math.min(rows * cols, 20) })
        .chain((positions) =>
          fc.record({
            name: fc.constant(name),
            rows: fc.constant(rows),
            cols: fc.constant(cols),
            indices: fc.constant(Uint32Array.from(positions)),
            coefficients: fc
              .array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: positions.length, maxLength: positions.length })
              .map((a) => Float32Array.from(a)),
            alpha: fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegZero),
            fingerprint: fc.string({ minLength: 1, maxLength: 30 }),
          }),
        ),
    );
}

const jsonLeaf: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegZero),
  fc.integer(),
);

export const adapterArb: fc.Arbitrary<SshAdapter> = fc
  .uniqueArray(layerNameArb, { maxLength: 4 })
  .chain((names) =>
    fc.record({
      format: fc.constant('ssh-peft-adapter' as const),
      version: fc.constant(2 as const),
      config: fc.record({
        variant: fc.constantFrom('separable' as const, 'true' as const),
        normalization: fc.constantFrom('backward' as const, 'ortho' as const, 'forward' as const),
        init: fc.constantFrom('zeros' as const, 'normal' as const),
        initStd: fc.double({ min: 0, max: 10, noNaN: true }).map(noNegZero),
        seed: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
        selection: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(jsonLeaf, fc.array(jsonLeaf, { maxLength: 3 })), { maxKeys: 4 }),
        metadata: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
      }),
      layers: fc.tuple(...names.map((n) => layerArb(n))),
    }),
  );

/** A small fixed adapter (two layers 8×6 and 5×7) for targeted tests. */
export function smallAdapter(): SshAdapter {
  return {
    format: 'ssh-peft-adapter',
    version: 2,
    config: {
      variant: 'separable',
      normalization: 'backward',
      init: 'zeros',
      initStd: 0,
      seed: 42,
      selection: { strategy: 'per-layer', perLayer: 3, energyRatio: 0.5, seed: 42 },
      metadata: { base: 'test' },
    },
    layers: [
      { name: 'enc.q', rows: 8, cols: 6, indices: new Uint32Array([0, 7, 47]), coefficients: new Float32Array([0.5, -1.25, 2]), alpha: 3, fingerprint: 'fp-q' },
      { name: 'enc.v', rows: 5, cols: 7, indices: new Uint32Array([3, 34]), coefficients: new Float32Array([1, -0.75]), alpha: 0.5, fingerprint: 'fp-v' },
    ],
  };
}
