import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADAPTER_FORMAT_VERSION, adapterFromLayers, AdapterValidationError, decodeAdapter, encodeAdapter, type SshAdapterLayer } from '../src/index';
import { adapterArb, smallAdapter } from './arbitraries';
import { thrownBy } from './thrown';

const layer = (over: Partial<Record<keyof SshAdapterLayer, unknown>> = {}): SshAdapterLayer =>
  ({ name: 'dense', rows: 4, cols: 3, indices: new Uint32Array([0, 5]), coefficients: new Float32Array([0.5, -1]), alpha: 2, fingerprint: 'fp-dense', ...over }) as SshAdapterLayer;

const validationError = (run: () => unknown) => thrownBy(run, AdapterValidationError);

describe('adapterFromLayers', () => {
  it('is the adapter one would write by hand: current format, the defaults of an adapter made without a selection', () => {
    const l = layer();
    const adapter = adapterFromLayers([l]);
    expect(adapter).toEqual({
      format: 'ssh-peft-adapter',
      version: ADAPTER_FORMAT_VERSION,
      config: { variant: 'separable', normalization: 'backward', init: 'zeros', initStd: 0, seed: 0, selection: {}, metadata: {} },
      layers: [l],
    });
    // The layer's arrays are held, the list is the adapter's own.
    expect(adapter.layers[0]).toBe(l);
    const list = [l];
    expect(adapterFromLayers(list).layers).not.toBe(list);
    // Defaults are fresh objects per adapter.
    expect(adapterFromLayers([l]).config.metadata).not.toBe(adapter.config.metadata);
  });

  it('takes the settings given, leaves the others at their defaults (undefined is left out)', () => {
    const adapter = adapterFromLayers([layer()], { variant: 'true', normalization: 'ortho', seed: 9, metadata: { task: 'digits' }, init: undefined });
    expect(adapter.config).toEqual({ variant: 'true', normalization: 'ortho', init: 'zeros', initStd: 0, seed: 9, selection: {}, metadata: { task: 'digits' } });
  });

  it('rebuilds any valid adapter from its layers and config, and the file round trip keeps it (property)', () => {
    fc.assert(
      fc.property(adapterArb, (original) => {
        const rebuilt = adapterFromLayers(original.layers, original.config);
        expect(rebuilt).toEqual(original);
        expect(decodeAdapter(encodeAdapter(rebuilt))).toEqual(original);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses bad layers with an AdapterValidationError naming the value', () => {
    const cases: Array<[() => unknown, string, RegExp]> = [
      [() => adapterFromLayers('dense' as never), 'layers', /expected an array of adapter layers/],
      [() => adapterFromLayers([layer(), layer()]), 'layers[1].name', /repeats layers\[0\]\.name/],
      [() => adapterFromLayers([layer({ indices: new Uint32Array([0, 12]) })]), 'layers[0].indices[1]', /not a position in \[0, rows·cols = 4·3 = 12\)/],
      [() => adapterFromLayers([layer({ indices: new Uint32Array([5, 5]) })]), 'layers[0].indices[1]', /duplicated/],
      [() => adapterFromLayers([layer({ coefficients: new Float32Array([NaN, 1]) })]), 'layers[0].coefficients[0]', /NaN is not finite/],
      [() => adapterFromLayers([layer({ coefficients: new Float32Array([1]) })]), 'layers[0].coefficients', /length 1 ≠ indices length 2/],
      [() => adapterFromLayers([layer({ indices: [0, 5] })]), 'layers[0].indices', /expected a Uint32Array/],
      [() => adapterFromLayers([layer({ alpha: Infinity })]), 'layers[0].alpha', /not a finite number/],
      [() => adapterFromLayers([layer({ fingerprint: '' })]), 'layers[0].fingerprint', /not a non-empty string/],
      [() => adapterFromLayers([layer({ rows: 0 })]), 'layers[0] ("dense")', /rows = 0 is not a positive integer/],
    ];
    for (const [run, path, message] of cases) {
      const e = validationError(run);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(message);
    }
  });

  it('refuses bad settings: not an object, an unknown key, a wrong value', () => {
    expect(validationError(() => adapterFromLayers([layer()], null as never)).path).toBe('config');
    const unknown = validationError(() => adapterFromLayers([layer()], { varaint: 'true' } as never));
    expect(unknown.path).toBe('config.varaint');
    expect(unknown.message).toMatch(/not an adapter setting \(settings: variant, normalization/);
    expect(validationError(() => adapterFromLayers([layer()], { variant: 'diagonal' as never })).path).toBe('config.variant');
    expect(validationError(() => adapterFromLayers([layer()], { selection: { ratio: NaN } })).path).toBe('config.selection.ratio');
    expect(validationError(() => adapterFromLayers([layer()], { metadata: { n: 1 as never } })).path).toBe('config.metadata["n"]');
  });

  it('an empty adapter is valid (no layers), as the codec allows', () => {
    const adapter = adapterFromLayers([], smallAdapter().config);
    expect(adapter.layers).toEqual([]);
    expect(decodeAdapter(encodeAdapter(adapter))).toEqual(adapter);
  });
});
