/**
 * Hot-swap: one InferenceSession serving many adapters. The graph is rewritten once: every node
 * that consumes an adapted weight W (MatMul/Gemm, possibly behind precision Casts) is wrapped in
 * an `If` on a boolean input `<weight>.ssh_peft_active`. The else branch is the original node
 * reading the W0 initializer (ORT still treats it as a constant and prepacks it), so a run
 * without an adapter computes exactly what the base model computes, bit for bit (tested at
 * d = 768, where a MatMul whose B is a graph input is *not* bit-identical to the prepacked one).
 * The then branch reads W from the input `<W>.ssh_peft`, fed with W0 + ΔW of the selected adapter,
 * computed once per adapter by the lightweight inverse DHT in JS and cached. The per-run cost is
 * the hand-over of those buffers, the If dispatch, and unprepacked MatMuls for adapted layers.
 *
 * Rejected: overridable initializers (onnxruntime-node feeds only `session.inputNames`, which
 * excludes them) and ΔW in-graph from coefficient inputs, which redoes the spectral work on every
 * run (x·ΔW through gathered cas columns costs tokens·n·(d_in + d_out); ΔW = C_in[:,u]·diag(c)·
 * C_out[v,:] costs d_in·n·d_out) — measured in docs/benchmarks/onnx.md.
 */
import { deltaWeight64, type SshAdapter, type SshAdapterLayer, validateAdapter, verifyBase } from '@ssh-peft/adapter';
import * as ort from 'onnxruntime-node';
import { OnnxAdapterError, OnnxOptionError, OnnxTensorError, OnnxWeightMismatchError, OnnxWeightUsageError } from './errors';
import { floatToHalf } from './float16';
import { baseWeight, type LayerShape, type LocatedWeight, type LocateOptions, locateAdapterWeights } from './locate';
import { loadOnnxModel } from './model-io';
import { DataType, encodeModel, type GraphProto, type ModelProto, type NodeProto } from './proto';
import { createSession, type CreateSessionOptions } from './session';
import { type FloatDtype, readTensorValues, tensorDims } from './tensor-values';

/** A weight turned into a graph input by {@link prepareHotSwapModel}. */
export interface SwappableWeight {
  /** Adapter layer name. */
  layer: string;
  /** Graph name of the W0 initializer. */
  weight: string;
  /** Graph input fed with W0 + ΔW (an empty tensor when no adapter is active). */
  input: string;
  /** Boolean graph input: true selects `input`, false the original W0 branch. */
  active: string;
  rows: number;
  cols: number;
  orientation: LocatedWeight['orientation'];
  dtype: FloatDtype;
  dims: number[];
  /** Base values in stored order (float32/float64 copy, for merging and verification). */
  base: Float32Array | Float64Array;
  /** The empty tensor fed to `input` when no adapter is active. */
  emptyTensor: ort.Tensor;
}

/** Options of {@link prepareHotSwapModel}. */
export interface PrepareHotSwapOptions extends Omit<LocateOptions, 'verify'> {
  /** Directory of external data when the model is given as bytes. */
  baseDir?: string;
}

const ELEM_TYPE: Record<FloatDtype, number> = { float32: DataType.FLOAT, float16: DataType.FLOAT16, bfloat16: DataType.BFLOAT16, float64: DataType.DOUBLE };

/**
 * Rewrites a model for hot-swapping: the weights of the given adapter layers become graph inputs
 * wrapped in `If` nodes (see the module comment). `layout` names the layers: an adapter (its layers) or
 * `{ name, rows, cols }` entries. Returns the model bytes and the swappable weights.
 *
 * @example
 * ```ts
 * const { bytes, weights } = await prepareHotSwapModel('model.onnx', adapterA);
 * ```
 */
export async function prepareHotSwapModel(
  model: Uint8Array | string,
  layout: SshAdapter | readonly LayerShape[],
  options: PrepareHotSwapOptions = {},
): Promise<{ bytes: Uint8Array; weights: SwappableWeight[] }> {
  const loaded = await loadOnnxModel(model, { baseDir: options.baseDir });
  const layers = 'layers' in layout ? layout.layers : layout;
  const located = locateAdapterWeights(loaded.model, layers, { ...options, verify: 'shape' });
  const weights = located.map((l) => makeWeightInput(loaded.model, l));
  return { bytes: encodeModel(loaded.model), weights };
}

/** Suffix of the graph input that carries an adapted weight (`<weight>.ssh_peft`). */
export const WEIGHT_INPUT_SUFFIX = '.ssh_peft';
/** Suffix of the boolean graph input that selects the adapter branch for one weight. */
export const ACTIVE_INPUT_SUFFIX = '.ssh_peft_active';

/**
 * The chains W → Cast* → MatMul/Gemm (+ bias Add) consuming the weight, from the uses the shared
 * walk found (`graph-weights.ts`); each Cast in a chain must feed that one chain only.
 */
function consumerChains(graph: GraphProto, located: LocatedWeight<LayerShape>): NodeProto[][] {
  const weight = located.initializer.name ?? '';
  const nodes = graph.node ?? [];
  const consumersOf = (name: string) => nodes.filter((n) => (n.input ?? []).includes(name));
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  /**
   * A MatMul followed by its bias Add goes into the branches together: ORT fuses the pair into
   * one Gemm in the base model, and only the same pair inside the branch fuses the same way —
   * otherwise the "no adapter" output would differ from the base model in the last bits.
   */
  const trailingBiasAdd = (node: NodeProto): NodeProto[] => {
    if (node.opType !== 'MatMul') return [];
    const out = (node.output ?? [])[0] ?? '';
    const users = consumersOf(out);
    const add = users[0];
    if (users.length !== 1 || add?.opType !== 'Add' || (graph.output ?? []).some((o) => o.name === out)) return [];
    const other = (add.input ?? []).find((n) => n !== out);
    return other !== undefined && initializers.has(other) ? [add] : [];
  };
  return located.uses.map((use) => {
    for (const cast of use.chain.slice(0, -1)) {
      const out = (cast.output ?? [])[0] ?? '';
      if (consumersOf(out).length !== 1) {
        throw new OnnxWeightUsageError(`weight ${JSON.stringify(weight)}: Cast node ${JSON.stringify(cast.name)} feeds several nodes; hot-swap needs one MatMul/Gemm behind each Cast (merge the adapter instead)`);
      }
    }
    const consumer = use.chain[use.chain.length - 1]!;
    return [...use.chain, ...trailingBiasAdd(consumer)];
  });
}

/** The chain's nodes with intermediate names suffixed (branch-local) and W replaced by `source`. */
function branch(chain: NodeProto[], weight: string, source: string, tag: string, outputType: number): GraphProto {
  const rename = new Map<string, string>([[weight, source]]);
  const last = chain[chain.length - 1]!;
  const out = `${(last.output ?? [])[0]}__${tag}`;
  const nodes = chain.map((node, i) => {
    const isLast = i === chain.length - 1;
    const output = isLast ? out : `${(node.output ?? [])[0]}__${tag}`;
    const copy: NodeProto = { ...node, name: `${node.name ?? node.opType}__${tag}`, input: (node.input ?? []).map((n) => rename.get(n) ?? n), output: [output] };
    rename.set((node.output ?? [])[0] ?? '', output);
    return copy;
  });
  return { name: `${last.name ?? 'node'}__${tag}`, node: nodes, output: [{ name: out, type: { tensorType: { elemType: outputType } } }] };
}

function makeWeightInput(model: ModelProto, located: LocatedWeight<LayerShape>): SwappableWeight {
  const graph = model.graph!;
  const weight = located.initializer.name ?? '';
  const input = `${weight}${WEIGHT_INPUT_SUFFIX}`;
  const active = `${weight}${ACTIVE_INPUT_SUFFIX}`;
  const dims = tensorDims(located.initializer);
  if (located.dtype === 'bfloat16') {
    throw new OnnxTensorError(`weight ${JSON.stringify(weight)} is bfloat16, which onnxruntime-node cannot take as an input tensor; hot-swap supports float32, float16 and float64 (merge works for bfloat16)`);
  }
  for (const chain of consumerChains(graph, located)) {
    const last = chain[chain.length - 1]!;
    const lastCast = [...chain].reverse().find((n) => n.opType === 'Cast');
    const outputType = lastCast ? Number((lastCast.attribute ?? []).find((a) => a.name === 'to')!.i) : ELEM_TYPE[located.dtype];
    const wrapper: NodeProto = {
      opType: 'If',
      name: `${last.name ?? 'node'}/ssh_peft_if`,
      input: [active],
      output: [(last.output ?? [])[0] ?? ''],
      attribute: [
        { name: 'then_branch', type: 5, g: branch(chain, weight, input, 'ssh_adapter', outputType) },
        { name: 'else_branch', type: 5, g: branch(chain, weight, weight, 'ssh_base', outputType) },
      ],
    };
    const nodes = graph.node ?? [];
    graph.node = nodes.filter((n) => !chain.includes(n) || n === last).map((n) => (n === last ? wrapper : n));
  }
  const inputs = graph.input ?? (graph.input = []);
  inputs.push({ name: active, type: { tensorType: { elemType: 9, shape: { dim: [] } } } });
  // Symbolic dims so that "no adapter" feeds a [0, 0] tensor instead of a copy of W0.
  inputs.push({ name: input, type: { tensorType: { elemType: ELEM_TYPE[located.dtype], shape: { dim: [{ dimParam: `${input}_0` }, { dimParam: `${input}_1` }] } } } });
  const emptyTensor =
    located.dtype === 'float16' ? new ort.Tensor('float16', new Uint16Array(0), [0, 0]) : new ort.Tensor(located.dtype === 'float64' ? 'float64' : 'float32', located.dtype === 'float64' ? new Float64Array(0) : new Float32Array(0), [0, 0]);
  return {
    layer: located.layer.name,
    weight,
    input,
    active,
    rows: located.layer.rows,
    cols: located.layer.cols,
    orientation: located.orientation,
    dtype: located.dtype,
    dims,
    base: readTensorValues(located.initializer),
    emptyTensor,
  };
}

/**
 * The feeds that select `adapter` on a hot-swap model: W0 + ΔW per adapted weight, in its stored
 * orientation and dtype. Verifies the adapter (shape, and fingerprint unless `verify: 'shape'`).
 *
 * @example
 * ```ts
 * const { bytes, weights } = await prepareHotSwapModel('model.onnx', adapterA);
 * const session = await ort.InferenceSession.create(bytes);
 * await session.run({ input: x, ...adapterFeeds(weights, adapterA) });
 * ```
 */
export function adapterFeeds(weights: readonly SwappableWeight[], adapter: SshAdapter, verify: 'fingerprint' | 'shape' = 'fingerprint'): Record<string, ort.Tensor> {
  try {
    validateAdapter(adapter);
  } catch (e) {
    throw new OnnxAdapterError(`invalid adapter: ${(e as Error).message}`, { cause: e });
  }
  const byLayer = new Map(weights.map((w) => [w.layer, w]));
  // Layers the adapter does not touch keep their exact base branch.
  const feeds = baseFeeds(weights);
  for (const layer of adapter.layers) {
    const w = byLayer.get(layer.name);
    if (!w) {
      throw new OnnxOptionError(`adapter layer ${JSON.stringify(layer.name)} is not swappable in this session (prepared layers: ${[...byLayer.keys()].map((k) => JSON.stringify(k)).join(', ')}); list it when creating the session`);
    }
    if (layer.rows !== w.rows || layer.cols !== w.cols) {
      throw new OnnxWeightMismatchError(`adapter layer ${JSON.stringify(layer.name)} is [${layer.rows}, ${layer.cols}], the session's weight ${JSON.stringify(w.input)} holds [${w.rows}, ${w.cols}]`);
    }
    if (verify === 'fingerprint') {
      locateVerify(adapter, layer, w);
    }
    const delta = deltaWeight64(adapter, layer.name);
    feeds[w.input] = mergedTensor(w, delta);
    feeds[w.active] = TRUE;
  }
  return feeds;
}

const TRUE = new ort.Tensor('bool', [true], []);
const FALSE = new ort.Tensor('bool', [false], []);

/** The feeds of a run without adapter: every weight on its original (W0) branch. */
export function baseFeeds(weights: readonly SwappableWeight[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const w of weights) {
    feeds[w.input] = w.emptyTensor;
    feeds[w.active] = FALSE;
  }
  return feeds;
}

function locateVerify(adapter: SshAdapter, layer: SshAdapterLayer, w: SwappableWeight): void {
  const w0 = baseWeight(w.base, w.rows, w.cols, w.orientation);
  try {
    verifyBase(adapter, layer.name, w0, [w.rows, w.cols]);
  } catch (e) {
    throw new OnnxWeightMismatchError(`layer ${JSON.stringify(layer.name)} → weight ${JSON.stringify(w.input)}: ${(e as Error).message}`, { cause: e });
  }
}

function mergedTensor(w: SwappableWeight, delta: Float64Array): ort.Tensor {
  const { rows, cols } = w;
  const size = rows * cols;
  const at = w.orientation === 'matmul' ? (k: number) => k : (k: number) => (k % rows) * cols + Math.floor(k / rows);
  const check = (value: number, k: number): number => {
    if (!Number.isFinite(value)) throw new OnnxTensorError(`weight ${JSON.stringify(w.input)}: W0 + ΔW at flat index ${k} is ${value}`);
    return value;
  };
  if (w.dtype === 'float16') {
    const out = new Uint16Array(size);
    for (let k = 0; k < size; k++) {
      const h = floatToHalf(w.base[k]! + delta[at(k)]!);
      if ((h & 0x7c00) === 0x7c00) throw new OnnxTensorError(`weight ${JSON.stringify(w.input)}: W0 + ΔW at flat index ${k} overflows float16`);
      out[k] = h;
    }
    return new ort.Tensor('float16', out, w.dims);
  }
  if (w.dtype === 'float64') {
    const out = new Float64Array(size);
    for (let k = 0; k < size; k++) out[k] = check(w.base[k]! + delta[at(k)]!, k);
    return new ort.Tensor('float64', out, w.dims);
  }
  const out = new Float32Array(size);
  for (let k = 0; k < size; k++) out[k] = check(Math.fround(w.base[k]! + delta[at(k)]!), k);
  return new ort.Tensor('float32', out, w.dims);
}

/** Options of {@link createHotSwapSession}. */
export interface HotSwapSessionOptions extends PrepareHotSwapOptions, Pick<CreateSessionOptions, 'device' | 'require' | 'sessionOptions' | 'cudaProbe' | 'notice'> {
  /**
   * The layers to make swappable: adapters (the union of their layers) or `{ name, rows, cols }`
   * entries. Required.
   */
  layers: ReadonlyArray<SshAdapter | LayerShape>;
  /** How many adapters' merged weights to keep (least recently used evicted; default 4). */
  cacheSize?: number;
  /** Adapter verification at first use: `'fingerprint'` (default) or `'shape'`. */
  verify?: 'fingerprint' | 'shape';
}

/** A session serving any number of adapters, one per `run`. */
export interface HotSwapSession {
  readonly session: ort.InferenceSession;
  readonly executionProvider: 'cuda' | 'cpu';
  /** The swappable weights (graph names and shapes). */
  readonly weights: readonly SwappableWeight[];
  /**
   * Runs the model with `adapter` (or with none: exactly the base model). Adapters are treated as
   * immutable: their merged weights are cached by object identity (see `forget`).
   */
  run(feeds: Record<string, ort.Tensor>, options?: { adapter?: SshAdapter | null }): Promise<ort.InferenceSession.OnnxValueMapType>;
  /** Drops the cached weights of an adapter (after changing its coefficients in place). */
  forget(adapter: SshAdapter): void;
  release(): Promise<void>;
}

/**
 * Creates one InferenceSession that runs the base model or any adapter per call.
 *
 * @example
 * ```ts
 * import { createHotSwapSession } from '@ssh-peft/onnx';
 * const hs = await createHotSwapSession('model.onnx', { layers: [adapterA, adapterB] });
 * const a = await hs.run({ input: x }, { adapter: adapterA });
 * const base = await hs.run({ input: x });            // bit-identical to the base model
 * ```
 */
export async function createHotSwapSession(model: Uint8Array | string, options: HotSwapSessionOptions): Promise<HotSwapSession> {
  if (!options || !Array.isArray(options.layers) || options.layers.length === 0) {
    throw new OnnxOptionError('createHotSwapSession: options.layers must list at least one adapter or { name, rows, cols } layer');
  }
  const cacheSize = options.cacheSize ?? 4;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new OnnxOptionError(`cacheSize must be a positive integer, got ${String(cacheSize)}`);
  const layout = new Map<string, LayerShape>();
  for (const item of options.layers) {
    for (const l of 'layers' in item ? item.layers : [item]) {
      const seen = layout.get(l.name);
      if (seen && (seen.rows !== l.rows || seen.cols !== l.cols)) throw new OnnxOptionError(`layer ${JSON.stringify(l.name)} listed as [${seen.rows}, ${seen.cols}] and [${l.rows}, ${l.cols}]`);
      layout.set(l.name, l);
    }
  }
  const { bytes, weights } = await prepareHotSwapModel(model, [...layout.values()], options);
  const { session, executionProvider } = await createSession(bytes, options);
  const cache = new Map<SshAdapter, Record<string, ort.Tensor>>();
  const feedsFor = (adapter: SshAdapter): Record<string, ort.Tensor> => {
    let entry = cache.get(adapter);
    if (entry) {
      cache.delete(adapter);
    } else {
      entry = adapterFeeds(weights, adapter, options.verify);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as SshAdapter);
    }
    cache.set(adapter, entry);
    return entry;
  };
  const swappable = new Set(weights.flatMap((w) => [w.input, w.active]));
  const noAdapter = baseFeeds(weights);
  return {
    session,
    executionProvider,
    weights,
    async run(feeds, runOptions = {}) {
      for (const name of Object.keys(feeds)) {
        if (swappable.has(name)) throw new OnnxOptionError(`feed ${JSON.stringify(name)} is managed by the hot-swap session; select adapters with run(feeds, { adapter })`);
      }
      const adapter = runOptions.adapter ?? null;
      return session.run({ ...feeds, ...(adapter === null ? noAdapter : feedsFor(adapter)) });
    },
    forget(adapter) {
      cache.delete(adapter);
    },
    async release() {
      cache.clear();
      await session.release();
    },
  };
}
