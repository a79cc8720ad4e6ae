/**
 * The fuzz targets: adapter decoding, ONNX merge, hot-swap preparation and `ssh-peft inspect`.
 * Every case damages a valid seed file with 1–3 mutations (byte edits, truncation, splices, forged
 * lengths, edits inside the data; see packages/adapter/test/fuzz-mutations.ts) and classifies what
 * the code under test did. Cases are drawn by fast-check from a seed, so a run is reproducible.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { AdapterError, decodeAdapter, encodeAdapter, type SshAdapter } from '@ssh-peft/adapter';
import { OnnxAdapterError, mergeAdapter, prepareHotSwapModel } from '@ssh-peft/onnx';
import { runCli } from '@ssh-peft/cli';
import { adapterArb, smallAdapter } from '../../packages/adapter/test/arbitraries';
import { applyMutation, type Mutation, mutationArb } from '../../packages/adapter/test/fuzz-mutations';
import { onnxSeeds } from './models';
import { errorClassOf, type FuzzReport, type Outcome, OutcomeCounter } from './outcomes';

/** A case running longer than this is a hang (a case normally takes about a millisecond; the margin is for loaded CI machines). */
const HANG_MS = 10_000;
const BATCH = 5_000;

/** Deterministic cases: (seed file index, mutations), in batches so that long runs stay small in memory. */
function* cases(seedFiles: number, count: number, seed: number): Generator<{ id: string; file: number; mutations: Mutation[] }> {
  const biased = fc.tuple(fc.nat({ max: seedFiles - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }));
  // fast-check biases numbers toward small values, i.e. edits toward the start of the file (the
  // headers); half the cases are drawn without bias so that edits land uniformly (tensor data too).
  const arb = fc.oneof(biased, fc.noBias(biased));
  for (let start = 0, batch = 0; start < count; start += BATCH, batch++) {
    const sample = fc.sample(arb, { seed: seed + batch * 7919, numRuns: Math.min(BATCH, count - start) });
    for (let i = 0; i < sample.length; i++) yield { id: `seed ${seed} case ${start + i}`, file: sample[i]![0], mutations: sample[i]![1] };
  }
}

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  // Never a Buffer: Buffer#slice is a view, and the mutations copy with slice().
  let out: Uint8Array = Buffer.isBuffer(bytes) ? Uint8Array.from(bytes) : bytes;
  for (const m of mutations) out = applyMutation(out, m);
  return out;
}

const bitsEqual = (a: ArrayBufferView, b: ArrayBufferView) =>
  a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

/** Same meaning: every field, coefficients compared bit for bit. */
export function sameAdapter(a: SshAdapter, b: SshAdapter): boolean {
  if (a.version !== b.version || JSON.stringify(a.config) !== JSON.stringify(b.config) || a.layers.length !== b.layers.length) return false;
  return a.layers.every((l, i) => {
    const m = b.layers[i]!;
    return l.name === m.name && l.rows === m.rows && l.cols === m.cols && Object.is(l.alpha, m.alpha) && l.fingerprint === m.fingerprint && bitsEqual(l.indices, m.indices) && bitsEqual(l.coefficients, m.coefficients);
  });
}

/** The adapters the decoder fuzzers start from: the fixed small one and 20 random ones. */
function adapterSeeds(): SshAdapter[] {
  return [smallAdapter(), ...fc.sample(adapterArb, { numRuns: 20, seed: 7 })];
}

/** Adapter decoding: typed AdapterFormatError, or exactly the original content; never a silent change. */
export function fuzzAdapterDecode(count: number, seed: number): FuzzReport {
  const seeds = adapterSeeds();
  const files = seeds.map(encodeAdapter);
  const counter = new OutcomeCounter('adapter decode', seed);
  for (const c of cases(files.length, count, seed)) {
    const bytes = mutate(files[c.file]!, c.mutations);
    const started = performance.now();
    let outcome: Outcome;
    try {
      const decoded = decodeAdapter(bytes, { file: 'fuzz.safetensors' });
      outcome = sameAdapter(decoded, seeds[c.file]!) ? { kind: 'unchanged' } : { kind: 'silent-change' };
    } catch (e) {
      outcome = e instanceof AdapterError ? { kind: 'rejected', errorClass: errorClassOf(e) } : { kind: 'untyped', errorClass: errorClassOf(e), message: String((e as Error)?.message) };
    }
    const ms = performance.now() - started;
    counter.add(ms > HANG_MS ? { kind: 'hang', milliseconds: ms } : outcome, c.id);
  }
  return counter.report();
}

async function withDeadline<T>(work: Promise<T>): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), HANG_MS)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function fuzzOnnx(target: string, count: number, seed: number, run: (bytes: Uint8Array, adapter: SshAdapter) => Promise<unknown>): Promise<FuzzReport> {
  const seeds = onnxSeeds();
  const counter = new OutcomeCounter(target, seed);
  for (const c of cases(seeds.length, count, seed)) {
    const { bytes, adapter } = seeds[c.file]!;
    const damaged = mutate(bytes, c.mutations);
    const started = performance.now();
    let outcome: Outcome;
    try {
      const result = await withDeadline(run(damaged, adapter));
      outcome = result === 'hang' ? { kind: 'hang', milliseconds: performance.now() - started } : { kind: 'accepted' };
    } catch (e) {
      const typed = e instanceof OnnxAdapterError || e instanceof AdapterError;
      outcome = typed ? { kind: 'rejected', errorClass: errorClassOf(e) } : { kind: 'untyped', errorClass: errorClassOf(e), message: String((e as Error)?.message) };
    }
    counter.add(outcome, c.id);
  }
  return counter.report();
}

/** ONNX merge of a damaged model: merged, or a typed OnnxAdapterError / AdapterError. */
export function fuzzOnnxMerge(count: number, seed: number): Promise<FuzzReport> {
  return fuzzOnnx('onnx merge', count, seed, (bytes, adapter) => mergeAdapter(bytes, adapter));
}

/** Hot-swap preparation (graph rewrite) of a damaged model: prepared, or a typed error. */
export function fuzzHotSwapPrepare(count: number, seed: number): Promise<FuzzReport> {
  return fuzzOnnx('hot-swap preparation', count, seed, (bytes, adapter) => prepareHotSwapModel(bytes, adapter));
}

const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);

/**
 * `ssh-peft inspect <damaged adapter>` in-process: exit 0 with exactly the original's output, or
 * exit 1 with one line `error: <ProjectError>: …`; a builtin error class, a stack trace or another
 * exit code is untyped, different output with exit 0 a silent change.
 */
export async function fuzzInspect(count: number, seed: number): Promise<FuzzReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-fuzz-inspect-'));
  const file = join(dir, 'adapter.safetensors');
  const inspect = async (bytes: Uint8Array) => {
    writeFileSync(file, bytes);
    let stdout = '';
    let stderr = '';
    const code = await runCli(['inspect', file], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY: false }, cwd: dir });
    return { code, stdout, stderr };
  };
  try {
    const files = adapterSeeds().map(encodeAdapter);
    const baselines: string[] = [];
    for (const bytes of files) {
      const r = await inspect(bytes);
      if (r.code !== 0) throw new Error(`inspect of a valid seed adapter failed: ${r.stderr}`);
      baselines.push(r.stdout);
    }
    const counter = new OutcomeCounter('ssh-peft inspect', seed);
    for (const c of cases(files.length, count, seed)) {
      const started = performance.now();
      const r = await inspect(mutate(files[c.file]!, c.mutations));
      const ms = performance.now() - started;
      let outcome: Outcome;
      const errorClass = /^error: (\w+): /.exec(r.stderr)?.[1];
      if (ms > HANG_MS) outcome = { kind: 'hang', milliseconds: ms };
      else if (r.code === 0) outcome = r.stdout === baselines[c.file] ? { kind: 'unchanged' } : { kind: 'silent-change' };
      else if (r.code === 1 && errorClass !== undefined && !BUILTIN_ERRORS.has(errorClass) && r.stderr.trim().split('\n').length === 1) {
        outcome = { kind: 'rejected', errorClass };
      } else outcome = { kind: 'untyped', errorClass: errorClass ?? `exit ${r.code}`, message: r.stderr.trim().slice(0, 300) };
      counter.add(outcome, c.id);
    }
    return counter.report();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The targets by name, for the command line. */
export const FUZZ_TARGETS = {
  adapter: (n: number, s: number) => Promise.resolve(fuzzAdapterDecode(n, s)),
  'onnx-merge': fuzzOnnxMerge,
  'hot-swap': fuzzHotSwapPrepare,
  inspect: fuzzInspect,
} as const;
