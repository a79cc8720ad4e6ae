/**
 * Finding the weight of every adapter layer in an ONNX graph, and how the graph uses it:
 * `MatMul(x, W)` (W stored [d_in, d_out], the adapter's orientation) or `Gemm(x, W, transB=1)`
 * (W stored [d_out, d_in], so ΔWᵀ is applied). Verification of shape and fingerprint happens
 * here, before anything is written.
 */
import { type SshAdapter, type SshAdapterLayer, verifyBase } from '@ssh-peft/adapter';
import { OnnxLayerNotFoundError, OnnxOptionError, OnnxWeightMismatchError, OnnxWeightUsageError } from './errors';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from './proto';
import { type FloatDtype, floatDtypeOf, readTensorValues, tensorDims } from './tensor-values';

/** How a weight is stored relative to the adapter's [d_in, d_out]. */
export type WeightOrientation = 'matmul' | 'gemm-transB';

/**
 * User mapping from graph names (initializer or node names) to adapter layer names: a record of
 * exact names, or pairs `[pattern, layer]` where a RegExp must match the whole graph name and
 * `layer` may use `$1`-style groups (`[/^(.*)\/kernel$/, '$1']`).
 */
export type LayerMapping = Readonly<Record<string, string>> | ReadonlyArray<readonly [string | RegExp, string]>;

/** Options of {@link locateAdapterWeights}. */
export interface LocateOptions {
  mapping?: LayerMapping;
  /**
   * A weight used by several nodes: `'merge-all'` (default) accepts it when every use is MatMul-like
   * with the same orientation — the merged weight is then correct for all of them, as the weight is
   * one parameter — and records a warning; `'refuse'` throws {@link OnnxWeightUsageError}.
   */
  sharedWeights?: 'merge-all' | 'refuse';
  /**
   * `'fingerprint'` (default): shape and `fingerprintWeights` of W0 must match the adapter;
   * `'shape'`: shape only (e.g. a float16 model whose adapter was trained on float32 weights).
   */
  verify?: 'fingerprint' | 'shape';
}

/** One use of a weight by a node. */
export interface WeightUse {
  node: string;
  opType: string;
  orientation: WeightOrientation | 'other';
}

/** Where and how an adapter layer's weight lives in the graph. */
export interface LocatedWeight {
  layer: SshAdapterLayer;
  initializer: TensorProto;
  orientation: WeightOrientation;
  dtype: FloatDtype;
  uses: WeightUse[];
  /** Human-readable notes (e.g. a shared weight merged for all its uses). */
  warnings: string[];
}

const FLOAT_CODES = new Set([1, 10, 11, 16]);

const SUFFIXES = ['', '/kernel', '/kernel:0', '.weight', '.kernel', '/weight', '_kernel'];

function nodeLabel(node: NodeProto, index: number): string {
  return node.name ? node.name : `#${index} (${node.opType})`;
}

function intAttr(node: NodeProto, name: string, fallback: number): number {
  const attr = (node.attribute ?? []).find((a) => a.name === name);
  return attr ? Number(attr.i ?? fallback) : fallback;
}

/** Every use of `name` in the graph; references from subgraphs count as 'other'. */
export function usesOf(graph: GraphProto, name: string): WeightUse[] {
  const uses: WeightUse[] = [];
  (graph.node ?? []).forEach((node, index) => {
    const inputs = node.input ?? [];
    inputs.forEach((input, slot) => {
      if (input !== name) return;
      let orientation: WeightUse['orientation'] = 'other';
      if (node.opType === 'Cast' && FLOAT_CODES.has(intAttr(node, 'to', 0))) {
        // A precision cast (e.g. float16 weight → float MatMul) passes the orientation through.
        const downstream = usesOf(graph, (node.output ?? [])[0] ?? '');
        if (downstream.length === 0) uses.push({ node: nodeLabel(node, index), opType: 'Cast', orientation: 'other' });
        for (const use of downstream) uses.push({ ...use, node: `${nodeLabel(node, index)} → ${use.node}` });
        return;
      }
      if (node.opType === 'MatMul' && slot === 1) orientation = 'matmul';
      if (node.opType === 'Gemm' && slot === 1) orientation = intAttr(node, 'transB', 0) === 1 ? 'gemm-transB' : 'matmul';
      uses.push({ node: nodeLabel(node, index), opType: node.opType ?? '', orientation });
    });
    for (const attr of node.attribute ?? []) {
      for (const sub of [attr.g, ...(attr.graphs ?? [])]) {
        if (sub && usesOf(sub, name).length > 0) uses.push({ node: `${nodeLabel(node, index)}/${attr.name}`, opType: `${node.opType} subgraph`, orientation: 'other' });
      }
    }
  });
  return uses;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Up to five graph names closest to `target` (weights first, then nodes). */
export function nearMatches(target: string, names: readonly string[]): string[] {
  return [...new Set(names)]
    .map((name) => ({ name, d: name.includes(target) || target.includes(name) ? 0 : editDistance(target, name) }))
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, 5)
    .map((x) => x.name);
}

function mapNameToLayer(mapping: LayerMapping, graphName: string): string | undefined {
  if (!Array.isArray(mapping)) {
    const record = mapping as Readonly<Record<string, string>>;
    return Object.prototype.hasOwnProperty.call(record, graphName) ? record[graphName] : undefined;
  }
  for (const [pattern, layer] of mapping as ReadonlyArray<readonly [string | RegExp, string]>) {
    if (typeof pattern === 'string') {
      if (pattern === graphName) return layer;
    } else {
      const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
      const m = re.exec(graphName);
      if (m && m[0] === graphName) return graphName.replace(re, layer);
    }
  }
  return undefined;
}

function weightOfNode(node: NodeProto, initializers: Map<string, TensorProto>): TensorProto | undefined {
  if (node.opType !== 'MatMul' && node.opType !== 'Gemm') return undefined;
  return initializers.get((node.input ?? [])[1] ?? '');
}

function findWeight(graph: GraphProto, layerName: string, initializers: Map<string, TensorProto>, mapping: LayerMapping | undefined): TensorProto {
  const nodes = graph.node ?? [];
  if (mapping !== undefined) {
    const hits = new Set<TensorProto>();
    for (const [name, tensor] of initializers) if (mapNameToLayer(mapping, name) === layerName) hits.add(tensor);
    for (const node of nodes) {
      if (node.name && mapNameToLayer(mapping, node.name) === layerName) {
        const w = weightOfNode(node, initializers);
        if (!w) throw new OnnxWeightUsageError(`mapping sends node ${JSON.stringify(node.name)} (${node.opType}) to layer ${JSON.stringify(layerName)}, but it is not a MatMul/Gemm with an initializer as B`);
        hits.add(w);
      }
    }
    if (hits.size > 1) {
      throw new OnnxOptionError(`mapping sends ${hits.size} different weights to layer ${JSON.stringify(layerName)}: ${[...hits].map((t) => JSON.stringify(t.name)).join(', ')}`);
    }
    if (hits.size === 1) return [...hits][0]!;
  }
  for (const suffix of SUFFIXES) {
    const t = initializers.get(layerName + suffix);
    if (t) return t;
  }
  const byNode = nodes.filter((n) => n.name === layerName || n.name === `${layerName}/MatMul` || n.name === `${layerName}/Gemm`);
  for (const node of byNode) {
    const w = weightOfNode(node, initializers);
    if (w) return w;
  }
  const names = [...initializers.keys(), ...nodes.map((n) => n.name ?? '').filter((n) => n !== '')];
  throw new OnnxLayerNotFoundError(
    layerName,
    nearMatches(layerName, names),
    `tried initializers ${SUFFIXES.map((s) => JSON.stringify(layerName + s)).join(', ')} and MatMul/Gemm nodes named ${JSON.stringify(layerName)}${mapping ? ', and the mapping' : ''}`,
  );
}

/** W0 in the adapter's [rows, cols] orientation. */
export function baseWeight(values: Float32Array | Float64Array, rows: number, cols: number, orientation: WeightOrientation): Float32Array | Float64Array {
  if (orientation === 'matmul') return values;
  const out = new (values.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = values[j * rows + i]!;
  return out;
}

/**
 * Locates and verifies the weight of every adapter layer. Throws {@link OnnxLayerNotFoundError}
 * (with near matches), {@link OnnxWeightUsageError} (non-MatMul use, mixed orientations, shared
 * weight refused, two adapter layers on one weight) or {@link OnnxWeightMismatchError} (shape,
 * dtype, fingerprint).
 *
 * @example
 * ```ts
 * const located = locateAdapterWeights(model, adapter, { mapping: [[/^(.*)\/kernel$/, '$1']] });
 * located.map((l) => `${l.layer.name} → ${l.initializer.name} (${l.orientation})`);
 * ```
 */
export function locateAdapterWeights(model: ModelProto, adapter: SshAdapter, options: LocateOptions = {}): LocatedWeight[] {
  const graph = model.graph!;
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? '', t);
  const claimed = new Map<string, string>();
  const result: LocatedWeight[] = [];
  for (const layer of adapter.layers) {
    const initializer = findWeight(graph, layer.name, initializers, options.mapping);
    const name = initializer.name ?? '';
    const previous = claimed.get(name);
    if (previous !== undefined) throw new OnnxWeightUsageError(`adapter layers ${JSON.stringify(previous)} and ${JSON.stringify(layer.name)} both resolve to weight ${JSON.stringify(name)}`);
    claimed.set(name, layer.name);
    const uses = usesOf(graph, name);
    const where = `layer ${JSON.stringify(layer.name)} → weight ${JSON.stringify(name)}`;
    if (uses.length === 0) throw new OnnxWeightUsageError(`${where}: no node uses this initializer`);
    const other = uses.filter((u) => u.orientation === 'other');
    if (other.length > 0) {
      throw new OnnxWeightUsageError(
        `${where}: used by ${other.map((u) => `${u.opType} node ${JSON.stringify(u.node)}`).join(', ')}, which is not a MatMul B input or Gemm B input; an adapter cannot be applied to it`,
      );
    }
    const orientations = new Set(uses.map((u) => u.orientation));
    if (orientations.size > 1) {
      throw new OnnxWeightUsageError(`${where}: used both as MatMul B and as Gemm B with transB=1 (${uses.map((u) => `${u.node}: ${u.orientation}`).join(', ')}); ambiguous orientation`);
    }
    const warnings: string[] = [];
    if (uses.length > 1) {
      const list = uses.map((u) => JSON.stringify(u.node)).join(', ');
      if (options.sharedWeights === 'refuse') throw new OnnxWeightUsageError(`${where}: shared by ${uses.length} nodes (${list}) and sharedWeights is 'refuse'`);
      warnings.push(`${where} is shared by ${uses.length} nodes (${list}); the merged weight applies to all of them`);
    }
    const orientation = [...orientations][0] as WeightOrientation;
    const dtype = floatDtypeOf(initializer);
    const dims = tensorDims(initializer);
    const expected = orientation === 'matmul' ? [layer.rows, layer.cols] : [layer.cols, layer.rows];
    if (dims.length !== 2 || dims[0] !== expected[0] || dims[1] !== expected[1]) {
      throw new OnnxWeightMismatchError(
        `${where}: shape [${dims}] (${orientation === 'matmul' ? 'MatMul B, [d_in, d_out]' : 'Gemm transB=1, [d_out, d_in]'}) but the adapter expects [${expected}] for rows=${layer.rows}, cols=${layer.cols}`,
      );
    }
    if (options.verify !== 'shape') {
      const w0 = baseWeight(readTensorValues(initializer), layer.rows, layer.cols, orientation);
      try {
        verifyBase(adapter, layer.name, w0, [layer.rows, layer.cols]);
      } catch (e) {
        throw new OnnxWeightMismatchError(`${where}: ${(e as Error).message}${dtype !== 'float32' ? ` (weight is ${dtype}; use verify: 'shape' if the adapter was fingerprinted on float32 weights)` : ''}`, { cause: e });
      }
    }
    result.push({ layer, initializer, orientation, dtype, uses, warnings });
  }
  return result;
}
