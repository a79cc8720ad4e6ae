import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdapterFormatError,
  AdapterIntegrityError,
  type AdapterNotice,
  decodeAdapter,
  decodeSafetensors,
  encodeAdapter,
  encodeSafetensors,
} from '../src/index';
import { loadAdapter } from '../src/node';
import { adapterArb } from './arbitraries';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const exampleFile = resolve(root, 'docs/examples/example-adapter.safetensors');
const versionOneFile = resolve(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/example-adapter-v1.safetensors');

/** The digest message of docs/adapter-format.md §6, built in one piece the obvious way. */
function referenceDigest(bytes: Uint8Array): string {
  const st = decodeSafetensors(bytes);
  const parts: Buffer[] = [];
  const field = (b: Uint8Array) => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(b.length));
    parts.push(len, Buffer.from(b));
  };
  for (const key of ['ssh_peft.format', 'ssh_peft.version', 'ssh_peft.config', 'ssh_peft.metadata', 'ssh_peft.layers']) {
    field(Buffer.from(key, 'utf8'));
    field(Buffer.from(st.metadata[key]!, 'utf8'));
  }
  for (const layer of JSON.parse(st.metadata['ssh_peft.layers']!) as Array<{ name: string }>) {
    for (const name of [`${layer.name}.indices`, `${layer.name}.coefficients`]) {
      const t = st.tensors.get(name)!;
      field(Buffer.from(name, 'utf8'));
      field(Buffer.from(t.dtype, 'ascii'));
      const shape = Buffer.alloc(8 * t.shape.length);
      t.shape.forEach((d, i) => shape.writeBigUInt64LE(BigInt(d), 8 * i));
      field(shape);
      field(t.bytes);
    }
  }
  return `sha256:${createHash('sha256').update(Buffer.concat(parts)).digest('hex')}`;
}

function decodeError(bytes: Uint8Array): unknown {
  try {
    decodeAdapter(bytes, { file: 'x.safetensors' });
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('format version 2: the integrity digest', () => {
  it('the writer stores the digest of the specified message (checked against node:crypto on random adapters)', () => {
    fc.assert(
      fc.property(adapterArb, (adapter) => {
        const bytes = encodeAdapter(adapter);
        const meta = decodeSafetensors(bytes).metadata;
        expect(meta['ssh_peft.version']).toBe('2');
        expect(meta['ssh_peft.digest']).toBe(referenceDigest(bytes));
      }),
      { numRuns: 100 },
    );
  });

  it('the example file carries the digest worked out in docs/adapter-format.md', () => {
    const bytes = new Uint8Array(readFileSync(exampleFile));
    const digest = decodeSafetensors(bytes).metadata['ssh_peft.digest'];
    expect(digest).toBe(referenceDigest(bytes));
    const doc = readFileSync(resolve(root, 'docs/adapter-format.md'), 'utf8');
    expect(doc).toContain(digest);
  });

  it('every single-byte change of the tensor data or of a digested metadata value is an AdapterIntegrityError naming the file', () => {
    const bytes = new Uint8Array(readFileSync(exampleFile));
    const { dataStart } = decodeSafetensors(bytes);
    for (let at = dataStart; at < bytes.length; at++) {
      for (const flip of [0x01, 0x80]) {
        const damaged = bytes.slice();
        damaged[at]! ^= flip;
        const e = decodeError(damaged);
        expect(e, `byte ${at}`).toBeInstanceOf(AdapterIntegrityError);
        expect(e).toBeInstanceOf(AdapterFormatError);
        expect((e as AdapterIntegrityError).file).toBe('x.safetensors');
        expect((e as Error).message).toMatch(/^file "x.safetensors", metadata key "ssh_peft.digest", byte offset 8: the contents changed after the file was written/);
      }
    }
    // A metadata value changed to something still valid (α 2 → 3) is caught the same way.
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf('\\"alpha\\":2') + '\\"alpha\\":'.length;
    const damaged = bytes.slice();
    damaged[at] = '3'.charCodeAt(0);
    const e = decodeError(damaged) as AdapterIntegrityError;
    expect(e).toBeInstanceOf(AdapterIntegrityError);
    expect(e.expected).toBe(decodeSafetensors(bytes).metadata['ssh_peft.digest']);
    expect(e.actual).toBe(referenceDigest(damaged));
  });

  it('a version-2 file needs a well-formed digest; a version-1 file must not have one; other versions are refused', () => {
    const bytes = new Uint8Array(readFileSync(exampleFile));
    const st = decodeSafetensors(bytes);
    const tensors = [...st.tensors.values()].map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape], bytes: t.bytes }));
    const withMeta = (edit: (m: Record<string, string>) => void) => {
      const m = { ...st.metadata };
      edit(m);
      return encodeSafetensors(tensors, m);
    };
    const missing = decodeError(withMeta((m) => delete m['ssh_peft.digest'])) as AdapterFormatError;
    expect(missing.key).toBe('ssh_peft.digest');
    expect(missing.message).toMatch(/missing: a version-2 file must carry its integrity digest/);
    const upper = decodeError(withMeta((m) => (m['ssh_peft.digest'] = m['ssh_peft.digest']!.toUpperCase()))) as AdapterFormatError;
    expect(upper.message).toMatch(/is not "sha256:" followed by 64 lowercase hex digits/);
    const downgraded = decodeError(withMeta((m) => (m['ssh_peft.version'] = '1'))) as AdapterFormatError;
    expect(downgraded.key).toBe('ssh_peft.version');
    expect(downgraded.message).toMatch(/version entry was altered/);
    expect((decodeError(withMeta((m) => (m['ssh_peft.version'] = '3'))) as Error).message).toMatch(/unknown format version "3"/);
  });

  it('a committed version-1 file is still read, with a notice through onNotice (decode and loadAdapter)', async () => {
    const v1 = new Uint8Array(readFileSync(versionOneFile));
    expect(decodeSafetensors(v1).metadata['ssh_peft.version']).toBe('1');
    const notices: AdapterNotice[] = [];
    const adapter = decodeAdapter(v1, { file: 'old.safetensors', onNotice: (n) => notices.push(n) });
    expect(adapter.version).toBe(1);
    expect(notices).toEqual([
      {
        code: 'format-version-1',
        file: 'old.safetensors',
        message: expect.stringMatching(/^file "old.safetensors" is in format version 1, which has no integrity digest/),
      },
    ]);
    // Same content as the version-2 example (written from the same adapter); re-encoding writes version 2.
    const current = decodeAdapter(new Uint8Array(readFileSync(exampleFile)), { onNotice: (n) => notices.push(n) });
    expect(notices).toHaveLength(1);
    expect({ ...adapter, version: 2 }).toEqual(current);
    expect(encodeAdapter(adapter)).toEqual(new Uint8Array(readFileSync(exampleFile)));
    // Without a callback the notice is dropped, never printed.
    expect(decodeAdapter(v1).layers).toHaveLength(2);
    const loaded: AdapterNotice[] = [];
    await loadAdapter(versionOneFile, { onNotice: (n) => loaded.push(n) });
    expect(loaded.map((n) => n.file)).toEqual([versionOneFile]);
  });
});
