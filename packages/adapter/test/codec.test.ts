import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdapterFormatError,
  computeAdapterDigest,
  DIGESTED_METADATA_KEYS,
  AdapterValidationError,
  decodeAdapter,
  decodeSafetensors,
  encodeAdapter,
  encodeSafetensors,
  type SafetensorsTensorInput,
  type SshAdapter,
} from '../src/index';
import { adapterArb, smallAdapter } from './arbitraries';

/**
 * Decodes the container of an adapter file, lets `edit` change it, and re-encodes it with the
 * integrity digest recomputed (a writer that wrote these contents), so that the checks behind
 * the digest are what the test exercises. `resign: false` keeps the old digest (damage).
 */
function rebuild(
  bytes: Uint8Array,
  edit: (metadata: Record<string, string>, tensors: SafetensorsTensorInput[]) => void,
  { resign = true } = {},
): Uint8Array {
  const file = decodeSafetensors(bytes);
  const metadata = { ...file.metadata };
  const tensors = [...file.tensors.values()].map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape], bytes: t.bytes.slice() }));
  edit(metadata, tensors);
  if (resign && metadata['ssh_peft.digest'] !== undefined && DIGESTED_METADATA_KEYS.every((k) => metadata[k] !== undefined)) {
    metadata['ssh_peft.digest'] = computeAdapterDigest(metadata, tensors);
  }
  return encodeSafetensors(tensors, metadata);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function formatError(fn: () => unknown): AdapterFormatError {
  const e = catchError(fn);
  expect(e).toBeInstanceOf(AdapterFormatError);
  return e as AdapterFormatError;
}

const base = () => encodeAdapter(smallAdapter());
const tensorOffset = (bytes: Uint8Array, name: string) => decodeSafetensors(bytes).tensors.get(name)!.fileOffset;

describe('encodeAdapter / decodeAdapter', () => {
  it('round-trips random adapters exactly, and re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(adapterArb, (adapter) => {
        const bytes = encodeAdapter(adapter);
        const decoded = decodeAdapter(bytes);
        expect(decoded).toEqual(adapter);
        for (let i = 0; i < adapter.layers.length; i++) {
          // toEqual treats -0 and 0 alike in typed arrays? compare bit patterns to be sure.
          expect(new Uint32Array(decoded.layers[i]!.coefficients.buffer)).toEqual(new Uint32Array(adapter.layers[i]!.coefficients.slice().buffer));
        }
        expect(encodeAdapter(decoded)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('writes I64 indices and F32 coefficients named <layer>.indices / <layer>.coefficients', () => {
    const file = decodeSafetensors(base());
    expect([...file.tensors.keys()]).toEqual(['enc.q.indices', 'enc.q.coefficients', 'enc.v.indices', 'enc.v.coefficients']);
    expect(file.tensors.get('enc.q.indices')!.dtype).toBe('I64');
    expect(file.tensors.get('enc.q.coefficients')!.dtype).toBe('F32');
    expect(file.metadata['ssh_peft.format']).toBe('ssh-peft-adapter');
    expect(file.metadata['ssh_peft.version']).toBe('2');
    expect(file.metadata['ssh_peft.digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads U32 indices written by other tools', () => {
    const bytes = rebuild(base(), (_m, tensors) => {
      for (const t of tensors) {
        if (!t.name.endsWith('.indices')) continue;
        const n = t.shape[0]!;
        const src = new DataView(t.bytes.buffer);
        const out = new Uint8Array(4 * n);
        for (let k = 0; k < n; k++) new DataView(out.buffer).setUint32(4 * k, src.getUint32(8 * k, true), true);
        Object.assign(t, { dtype: 'U32', bytes: out });
      }
    });
    expect(decodeAdapter(bytes)).toEqual(smallAdapter());
  });

  it('never keeps a view into the input and never modifies it', () => {
    const bytes = base();
    const copy = bytes.slice();
    const adapter = decodeAdapter(bytes);
    expect(bytes).toEqual(copy);
    expect(adapter.layers[0]!.indices.buffer).not.toBe(bytes.buffer);
    bytes.fill(0);
    expect(adapter.layers[0]!.coefficients[1]).toBe(-1.25);
  });

  it('refuses to encode an invalid adapter', () => {
    const a = smallAdapter();
    const bad = { ...a, layers: [{ ...a.layers[0]!, coefficients: new Float32Array([0, NaN, 1]) }] };
    const e = catchError(() => encodeAdapter(bad as SshAdapter)) as AdapterValidationError;
    expect(e).toBeInstanceOf(AdapterValidationError);
    expect(e.path).toBe('layers[0].coefficients[1]');
    expect(e.message).toMatch(/NaN is not finite/);
    const dup = { ...a, layers: [a.layers[0]!, { ...a.layers[1]!, name: 'enc.q' }] };
    expect(() => encodeAdapter(dup)).toThrow(/layers\[1\]\.name: "enc.q" repeats layers\[0\]\.name/);
    const sel = { ...a, config: { ...a.config, selection: { energyRatio: NaN } } };
    expect(() => encodeAdapter(sel)).toThrow(/config.selection.energyRatio: NaN is not a finite number/);
  });
});

describe('decodeAdapter bad input (typed errors naming file, tensor, offset, values)', () => {
  it('a plain safetensors file is not an adapter', () => {
    const bytes = rebuild(base(), (m) => {
      delete m['ssh_peft.format'];
    });
    const e = formatError(() => decodeAdapter(bytes, { file: 'm.safetensors' }));
    expect(e.file).toBe('m.safetensors');
    expect(e.key).toBe('ssh_peft.format');
    expect(e.message).toMatch(/not an ssh-peft adapter/);
  });

  it('unknown format version', () => {
    const bytes = rebuild(base(), (m) => {
      m['ssh_peft.version'] = '3';
    });
    const e = formatError(() => decodeAdapter(bytes));
    expect(e.key).toBe('ssh_peft.version');
    expect(e.message).toMatch(/unknown format version "3" \(this reader supports versions 1 and 2\)/);
  });

  it('index ≥ rows·cols (low word and I64 high word) with the element byte offset', () => {
    let bytes = rebuild(base(), (_m, tensors) => {
      new DataView(tensors[0]!.bytes.buffer).setUint32(8 * 2, 48, true);
    });
    let e = formatError(() => decodeAdapter(bytes, { file: 'a.safetensors' }));
    expect(e.tensor).toBe('enc.q.indices');
    expect(e.offset).toBe(tensorOffset(bytes, 'enc.q.indices') + 16);
    expect(e.message).toMatch(/element 2 = 48 is not a position in \[0, rows·cols = 8·6 = 48\)/);
    bytes = rebuild(base(), (_m, tensors) => {
      new DataView(tensors[0]!.bytes.buffer).setInt32(8 * 1 + 4, -1, true);
    });
    e = formatError(() => decodeAdapter(bytes));
    expect(e.offset).toBe(tensorOffset(bytes, 'enc.q.indices') + 8);
    expect(e.message).toMatch(/element 1 = -\d+ is not a position/);
  });

  it('duplicated index', () => {
    const bytes = rebuild(base(), (_m, tensors) => {
      new DataView(tensors[2]!.bytes.buffer).setUint32(8, 3, true);
    });
    const e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('enc.v.indices');
    expect(e.offset).toBe(tensorOffset(bytes, 'enc.v.indices') + 8);
    expect(e.message).toMatch(/element 1 = 3 is duplicated \(first at element 0\)/);
  });

  it('NaN and Infinity coefficients', () => {
    for (const [value, label] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      const bytes = rebuild(base(), (_m, tensors) => {
        new DataView(tensors[1]!.bytes.buffer).setFloat32(4, value, true);
      });
      const e = formatError(() => decodeAdapter(bytes));
      expect(e.tensor).toBe('enc.q.coefficients');
      expect(e.offset).toBe(tensorOffset(bytes, 'enc.q.coefficients') + 4);
      expect(e.message).toContain(`element 1 = ${label} is not finite`);
    }
  });

  it('missing coefficients for an index tensor, missing indices, stray tensors', () => {
    let bytes = rebuild(base(), (_m, tensors) => {
      tensors.splice(3, 1);
    });
    let e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('enc.v.coefficients');
    expect(e.message).toMatch(/missing coefficients for the index tensor "enc.v.indices"/);
    bytes = rebuild(base(), (_m, tensors) => {
      tensors.splice(0, 1);
    });
    e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('enc.q.indices');
    expect(e.message).toMatch(/tensor missing for layer "enc.q"/);
    bytes = rebuild(base(), (_m, tensors) => {
      tensors.push({ name: 'ghost.coefficients', dtype: 'F32', shape: [1], bytes: new Uint8Array(4) });
    });
    e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('ghost.coefficients');
    expect(e.message).toMatch(/coefficients without an index tensor/);
  });

  it('wrong dtype or shape of the adapter tensors', () => {
    let bytes = rebuild(base(), (_m, tensors) => {
      Object.assign(tensors[1]!, { dtype: 'I32' });
    });
    let e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('enc.q.coefficients');
    expect(e.message).toMatch(/dtype I32, expected F32/);
    bytes = rebuild(base(), (_m, tensors) => {
      Object.assign(tensors[1]!, { shape: [1, 3] });
    });
    e = formatError(() => decodeAdapter(bytes));
    expect(e.message).toMatch(/shape \[1, 3\], expected \[3\]/);
    bytes = rebuild(base(), (_m, tensors) => {
      Object.assign(tensors[0]!, { dtype: 'F64' });
    });
    e = formatError(() => decodeAdapter(bytes));
    expect(e.message).toMatch(/dtype F64, expected I64 \(or U32\)/);
    bytes = rebuild(base(), (_m, tensors) => {
      Object.assign(tensors[2]!, { shape: [1], bytes: tensors[2]!.bytes.slice(0, 8) });
    });
    e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('enc.v.coefficients');
    expect(e.message).toMatch(/shape \[2\], expected \[1\] \(one coefficient per index\)/);
  });

  it('malformed metadata JSON and layer table', () => {
    const cases: Array<[(m: Record<string, string>) => void, string, RegExp]> = [
      [(m) => (m['ssh_peft.layers'] = '[{'), 'ssh_peft.layers', /value is not valid JSON/],
      [(m) => (m['ssh_peft.layers'] = '{}'), 'ssh_peft.layers', /expected a JSON array of layers/],
      [(m) => (m['ssh_peft.layers'] = m['ssh_peft.layers']!.replace('"rows":8', '"rows":0')), 'ssh_peft.layers', /layers\[0\]: rows = 0 is not a positive integer/],
      [(m) => (m['ssh_peft.layers'] = m['ssh_peft.layers']!.replace('"alpha":3', '"alpha":"3"')), 'ssh_peft.layers', /alpha "3" is not a finite number/],
      [(m) => (m['ssh_peft.layers'] = m['ssh_peft.layers']!.replace('"alpha":3', '"alpha":3,"x":1')), 'ssh_peft.layers', /unknown field "x"/],
      [(m) => (m['ssh_peft.layers'] = m['ssh_peft.layers']!.replace('"enc.v"', '"enc.q"')), 'ssh_peft.layers', /name "enc.q" repeats layers\[0\]/],
      [(m) => (m['ssh_peft.config'] = m['ssh_peft.config']!.replace('"separable"', '"diagonal"')), 'ssh_peft.config', /config.variant: "diagonal" is not one of separable, true/],
      [(m) => delete m['ssh_peft.config'], 'ssh_peft.config', /missing/],
      [(m) => (m['ssh_peft.metadata'] = '{"a":1}'), 'ssh_peft.metadata', /entry "a" is number 1, expected a string/],
    ];
    for (const [edit, key, message] of cases) {
      const e = formatError(() => decodeAdapter(rebuild(base(), edit)));
      expect(e.key).toBe(key);
      expect(e.message).toMatch(message);
    }
  });

  it('a rows·cols that changes in the table invalidates the indices', () => {
    const bytes = rebuild(base(), (m) => {
      m['ssh_peft.layers'] = m['ssh_peft.layers']!.replace('"rows":8', '"rows":7');
    });
    const e = formatError(() => decodeAdapter(bytes));
    expect(e.tensor).toBe('enc.q.indices');
    expect(e.message).toMatch(/element 2 = 47 is not a position in \[0, rows·cols = 7·6 = 42\)/);
  });

  it('truncated file at every length', () => {
    const bytes = base();
    for (let len = 0; len < bytes.length; len++) {
      const e = formatError(() => decodeAdapter(bytes.subarray(0, len), { file: 'f' }));
      expect(e.file).toBe('f');
    }
  });
});

describe('decodeAdapter: adversarial JSON', () => {
  it('a deeply nested selection value is a format error, not a stack overflow', () => {
    const bytes = rebuild(base(), (m) => {
      const config = JSON.parse(m['ssh_peft.config']!);
      m['ssh_peft.config'] = JSON.stringify({ ...config, selection: {} }).replace('"selection":{}', `"selection":{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    });
    const e = formatError(() => decodeAdapter(bytes));
    expect(e.key).toBe('ssh_peft.config');
    expect(e.message).toMatch(/config.selection.x(\[0\])+: nested deeper than 32 levels/);
  });
});
