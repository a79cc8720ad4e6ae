/**
 * The one walk that finds the weights an SSH adapter can be applied to, shared by merge, hot-swap
 * and the CLI's `select`/`inspect`: a 2-D float initializer (float32, float16, bfloat16, float64)
 * whose every use is the B input of a `MatMul` or a `Gemm` — directly or through precision `Cast`s —
 * with one orientation. `MatMul` and `Gemm transB=0` store it `[d_in, d_out]` (the adapter's
 * orientation), `Gemm transB=1` (PyTorch's `nn.Linear` as exported by `torch.onnx.export`) stores
 * it `[d_out, d_in]`. A weight used by several such nodes (weight tying) is one parameter and is
 * listed once.
 */
import { loadOnnxModel } from './model-io';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from './proto';
import { type FloatDtype, floatDtypeOf, readTensorValues, tensorDims } from './tensor-values';

/** How a weight is stored relative to the adapter's [d_in, d_out]. */
export type WeightOrientation = 'matmul' | 'gemm-transB';

/** One use of a weight by a node (through any precision Casts in front of it). */
export interface WeightUse {
  /** The consuming node's label (`Cast → MatMul` chains are shown with arrows). */
  node: string;
  opType: string;
  orientation: WeightOrientation | 'other';
  /** The nodes from the weight to its consumer: the precision Casts, then the consumer (empty for a subgraph reference). */
  chain: NodeProto[];
  /** `Gemm`'s `alpha` (1 when absent); undefined for other ops. */
  alpha?: number;
}

/** A weight an adapter can be applied to. */
export interface GraphWeight {
  /** Initializer name. */
  name: string;
  initializer: TensorProto;
  orientation: WeightOrientation;
  dtype: FloatDtype;
  /** Stored shape: `[rows, cols]` for `'matmul'`, `[cols, rows]` for `'gemm-transB'`. */
  dims: [number, number];
  /** d_in, the adapter's rows. */
  rows: number;
  /** d_out, the adapter's cols. */
  cols: number;
  uses: WeightUse[];
}

/** Why an initializer is not an adaptable weight. */
export interface WeightProblem {
  kind: 'unused' | 'other-use' | 'mixed-orientation' | 'not-matrix' | 'not-float';
  message: string;
}

const FLOAT_CODES = new Set([1, 10, 11, 16]);

function nodeLabel(node: NodeProto, index: number): string {
  return node.name ? node.name : `#${index} (${node.opType})`;
}

function intAttr(node: NodeProto, name: string, fallback: number): number {
  const attr = (node.attribute ?? []).find((a) => a.name === name);
  return attr ? Number(attr.i ?? fallback) : fallback;
}

function floatAttr(node: NodeProto, name: string, fallback: number): number {
  const attr = (node.attribute ?? []).find((a) => a.name === name);
  return attr && attr.f !== undefined && attr.f !== null ? Number(attr.f) : fallback;
}

/** Names read anywhere inside a node's subgraphs (recursively). */
function subgraphReads(graph: GraphProto, into: Set<string>): void {
  for (const node of graph.node ?? []) {
    for (const input of node.input ?? []) into.add(input);
    for (const attr of node.attribute ?? []) for (const sub of [attr.g, ...(attr.graphs ?? [])]) if (sub) subgraphReads(sub, into);
  }
}

/**
 * Consumers of every value name in one graph, built once so that walking all initializers of a
 * large model costs O(nodes + initializers), not their product.
 */
export class GraphIndex {
  private readonly consumers = new Map<string, Array<{ node: NodeProto; index: number; slot: number }>>();
  /** Per node carrying subgraphs: the names those subgraphs read. */
  private readonly subgraphNodes: Array<{ node: NodeProto; index: number; attribute: string; reads: Set<string> }> = [];

  constructor(readonly graph: GraphProto) {
    (graph.node ?? []).forEach((node, index) => {
      (node.input ?? []).forEach((input, slot) => {
        let list = this.consumers.get(input);
        if (!list) this.consumers.set(input, (list = []));
        list.push({ node, index, slot });
      });
      for (const attr of node.attribute ?? []) {
        const reads = new Set<string>();
        for (const sub of [attr.g, ...(attr.graphs ?? [])]) if (sub) subgraphReads(sub, reads);
        if (reads.size > 0) this.subgraphNodes.push({ node, index, attribute: attr.name ?? '', reads });
      }
    });
  }

  /** Every use of `name`: MatMul/Gemm B inputs (through precision Casts) are oriented, all else is 'other'. */
  usesOf(name: string): WeightUse[] {
    const uses: WeightUse[] = [];
    for (const { node, index, slot } of this.consumers.get(name) ?? []) {
      const label = nodeLabel(node, index);
      if (node.opType === 'Cast' && FLOAT_CODES.has(intAttr(node, 'to', 0))) {
        // A precision cast (e.g. float16 weight → float MatMul) passes the orientation through.
        const downstream = this.usesOf((node.output ?? [])[0] ?? '');
        const isGraphOutput = (this.graph.output ?? []).some((o) => o.name === (node.output ?? [])[0]);
        if (downstream.length === 0 || isGraphOutput) uses.push({ node: label, opType: 'Cast', orientation: 'other', chain: [node] });
        for (const use of downstream) uses.push({ ...use, node: `${label} → ${use.node}`, chain: [node, ...use.chain] });
        continue;
      }
      let orientation: WeightUse['orientation'] = 'other';
      if (node.opType === 'MatMul' && slot === 1) orientation = 'matmul';
      if (node.opType === 'Gemm' && slot === 1) orientation = intAttr(node, 'transB', 0) === 1 ? 'gemm-transB' : 'matmul';
      uses.push({ node: label, opType: node.opType ?? '', orientation, chain: [node], ...(node.opType === 'Gemm' ? { alpha: floatAttr(node, 'alpha', 1) } : {}) });
    }
    for (const { node, index, attribute, reads } of this.subgraphNodes) {
      if (reads.has(name)) uses.push({ node: `${nodeLabel(node, index)}/${attribute}`, opType: `${node.opType} subgraph`, orientation: 'other', chain: [] });
    }
    return uses;
  }

  /** The initializer as an adaptable weight, or why it is not one. */
  analyze(initializer: TensorProto): GraphWeight | WeightProblem {
    const name = initializer.name ?? '';
    const uses = this.usesOf(name);
    const weight = `weight ${JSON.stringify(name)}`;
    if (uses.length === 0) return { kind: 'unused', message: `${weight}: no node uses this initializer` };
    const other = uses.filter((u) => u.orientation === 'other');
    if (other.length > 0) {
      return {
        kind: 'other-use',
        message: `${weight}: used by ${other.map((u) => `${u.opType} node ${JSON.stringify(u.node)}`).join(', ')}, which is not a MatMul B input or Gemm B input; an adapter cannot be applied to it`,
      };
    }
    const orientations = new Set(uses.map((u) => u.orientation as WeightOrientation));
    if (orientations.size > 1) {
      return { kind: 'mixed-orientation', message: `${weight}: used both as MatMul B and as Gemm B with transB=1 (${uses.map((u) => `${u.node}: ${u.orientation}`).join(', ')}); ambiguous orientation` };
    }
    if (!FLOAT_CODES.has(initializer.dataType ?? 0)) {
      return { kind: 'not-float', message: `${weight}: data_type ${initializer.dataType ?? 0} is not a float type an adapter can be applied to (supported: float32=1, float16=10, bfloat16=16, float64=11)` };
    }
    const dims = tensorDims(initializer);
    if (dims.length !== 2 || dims[0]! < 1 || dims[1]! < 1) return { kind: 'not-matrix', message: `${weight}: shape [${dims}] is not a 2-D matrix` };
    const orientation = [...orientations][0]!;
    const [rows, cols] = orientation === 'matmul' ? [dims[0]!, dims[1]!] : [dims[1]!, dims[0]!];
    return { name, initializer, orientation, dtype: floatDtypeOf(initializer), dims: [dims[0]!, dims[1]!], rows, cols, uses };
  }
}

/** Whether {@link GraphIndex.analyze} found a weight. */
export function isGraphWeight(result: GraphWeight | WeightProblem): result is GraphWeight {
  return 'initializer' in result;
}

/**
 * Every weight of the main graph an adapter can be applied to, in the order of their first use.
 *
 * @example
 * ```ts
 * const { model } = await loadOnnxModel('classifier.onnx');
 * for (const w of findAdaptableWeights(model)) console.log(w.name, `${w.rows}×${w.cols}`, w.orientation, w.dtype);
 * ```
 */
export function findAdaptableWeights(model: ModelProto): GraphWeight[] {
  const graph = model.graph ?? {};
  const index = new GraphIndex(graph);
  const firstUse = new Map<string, number>();
  (graph.node ?? []).forEach((node, i) => {
    for (const input of node.input ?? []) if (!firstUse.has(input)) firstUse.set(input, i);
  });
  const found: GraphWeight[] = [];
  const seen = new Set<string>();
  for (const initializer of graph.initializer ?? []) {
    const name = initializer.name ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    const result = index.analyze(initializer);
    if (isGraphWeight(result)) found.push(result);
  }
  // Casts come before their consumer, so a weight's own first reader orders it in the graph.
  return found.sort((a, b) => (firstUse.get(a.name) ?? 0) - (firstUse.get(b.name) ?? 0));
}

/**
 * A stored weight in the adapter's `[rows, cols]` = `[d_in, d_out]` orientation: the values
 * themselves for `'matmul'`, the transpose for `'gemm-transB'`.
 */
export function baseWeight(values: Float32Array | Float64Array, rows: number, cols: number, orientation: WeightOrientation): Float32Array | Float64Array {
  if (orientation === 'matmul') return values;
  const out = new (values.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = values[j * rows + i]!;
  return out;
}

/**
 * The values of a weight in `[d_in, d_out]` orientation (Float32Array, or Float64Array for
 * float64; float16/bfloat16 widened exactly). The tensor's data must be in memory
 * (`loadOnnxModel` reads external data).
 *
 * @example
 * ```ts
 * const [w] = findAdaptableWeights(model);
 * const values = adaptableWeightValues(w); // length w.rows * w.cols, row-major [d_in, d_out]
 * ```
 */
export function adaptableWeightValues(weight: GraphWeight): Float32Array | Float64Array {
  return baseWeight(readTensorValues(weight.initializer), weight.rows, weight.cols, weight.orientation);
}

/** A weight read for selection: `@ssh-peft/selection`'s `LayerInput` plus where it came from. */
export interface AdaptableWeightInput {
  /** Initializer name (also the adapter layer name that finds it again when merging). */
  name: string;
  rows: number;
  cols: number;
  /** Row-major `[d_in, d_out]` values (transposed from a `Gemm transB=1` weight). */
  weights: Float32Array | Float64Array;
  orientation: WeightOrientation;
  dtype: FloatDtype;
  dims: [number, number];
}

/**
 * Reads every adaptable weight of a model (bytes or path; external data is read from the model's
 * directory, or `baseDir` for bytes; `source` names bytes in errors) in `[d_in, d_out]`
 * orientation, ready for `selectSpectrum`.
 * A plan made from these merges back into the same model with no mapping: layer names are the
 * initializer names and shapes/fingerprints are those of the adapter's orientation.
 *
 * @example
 * ```ts
 * import { selectSpectrum } from '@ssh-peft/selection';
 * const layers = await readAdaptableWeights('torch-export.onnx', { filter: (name) => name.endsWith('.weight') });
 * const plan = await selectSpectrum(layers, { strategy: 'global', budget: 200, energyRatio: 0.7, seed: 0 });
 * ```
 */
export async function readAdaptableWeights(
  model: Uint8Array | string,
  options: { baseDir?: string; filter?: (name: string) => boolean; source?: string } = {},
): Promise<AdaptableWeightInput[]> {
  const loaded = await loadOnnxModel(model, { baseDir: options.baseDir, source: options.source });
  return findAdaptableWeights(loaded.model)
    .filter((w) => !options.filter || options.filter(w.name))
    .map((w) => ({ name: w.name, rows: w.rows, cols: w.cols, weights: adaptableWeightValues(w), orientation: w.orientation, dtype: w.dtype, dims: w.dims }));
}
