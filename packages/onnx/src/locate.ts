/**
 * Finding the weight of every adapter layer in an ONNX graph, and how the graph uses it
 * (the walk of `graph-weights.ts`): `MatMul(x, W)` / `Gemm(x, W)` (W stored [d_in, d_out], the
 * adapter's orientation) or `Gemm(x, W, transB=1)` (W stored [d_out, d_in], so ΔWᵀ is applied).
 * Verification of shape and fingerprint happens here, before anything is written.
 */
import { type SshAdapter, type SshAdapterLayer, verifyBase } from '@ssh-peft/adapter';
import { OnnxLayerNotFoundError, OnnxMappingError, OnnxOptionError, OnnxWeightMismatchError, OnnxWeightUsageError } from './errors';
import { baseWeight, GraphIndex, isGraphWeight, type WeightOrientation, type WeightUse } from './graph-weights';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from './proto';
import { type FloatDtype, floatDtypeOf, readTensorValues, tensorDims } from './tensor-values';

export { baseWeight, type WeightOrientation, type WeightUse } from './graph-weights';

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

/** What locating needs of an adapter layer: its name and shape (any adapter layer is one). */
export type LayerShape = Pick<SshAdapterLayer, 'name' | 'rows' | 'cols'>;

/** Where and how an adapter layer's weight lives in the graph (`L`: what was located, a whole adapter layer or its shape). */
export interface LocatedWeight<L extends LayerShape = SshAdapterLayer> {
  layer: L;
  initializer: TensorProto;
  orientation: WeightOrientation;
  dtype: FloatDtype;
  uses: WeightUse[];
  /** Human-readable notes (e.g. a shared weight merged for all its uses). */
  warnings: string[];
}

const SUFFIXES = ['', '/kernel', '/kernel:0', '.weight', '.kernel', '/weight', '_kernel'];

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

/** Graph name, shown for an error message. */
function show(pattern: string | RegExp): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
}

/**
 * Every mapping entry must name something: an exact graph name that is an initializer or a node,
 * a RegExp that matches at least one of them, and (when it can be known before matching: exact
 * entries, or templates without `$` groups) an adapter layer. Otherwise the entry would be
 * silently ignored and the layer found by name instead — or not at all.
 */
function checkMapping(mapping: LayerMapping, graphNames: ReadonlySet<string>, layerNames: ReadonlySet<string>): void {
  const entries: Array<readonly [string | RegExp, string]> = Array.isArray(mapping)
    ? [...(mapping as ReadonlyArray<readonly [string | RegExp, string]>)]
    : Object.entries(mapping as Readonly<Record<string, string>>);
  for (const [pattern, layer] of entries) {
    if (typeof layer !== 'string') throw new OnnxOptionError(`mapping entry ${show(pattern)}: the layer must be a string, got ${String(layer)}`);
    const entry = typeof pattern === 'string' ? pattern : String(pattern);
    if (typeof pattern === 'string') {
      if (!graphNames.has(pattern)) {
        throw new OnnxMappingError(entry, `mapping entry ${show(pattern)} → ${JSON.stringify(layer)}: the graph has no initializer or node named ${show(pattern)}; near matches: ${nearMatches(pattern, [...graphNames]).map((n) => JSON.stringify(n)).join(', ') || 'none'}`);
      }
    } else if (pattern instanceof RegExp) {
      const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
      if (![...graphNames].some((name) => re.exec(name)?.[0] === name)) {
        throw new OnnxMappingError(entry, `mapping entry ${show(pattern)} → ${JSON.stringify(layer)}: the pattern matches no initializer or node name of the graph`);
      }
    } else {
      throw new OnnxOptionError(`mapping entry ${String(pattern)}: expected a graph name or a RegExp`);
    }
    const fixedLayer = typeof pattern === 'string' || !layer.includes('$');
    if (fixedLayer && !layerNames.has(layer)) {
      throw new OnnxMappingError(entry, `mapping entry ${show(pattern)} → ${JSON.stringify(layer)}: the adapter has no layer ${JSON.stringify(layer)} (its layers: ${[...layerNames].map((n) => JSON.stringify(n)).join(', ')})`);
    }
  }
}

/** The initializer feeding a MatMul/Gemm node's B input, directly or through precision Casts. */
function weightOfNode(node: NodeProto, initializers: Map<string, TensorProto>, producers: Map<string, NodeProto>): TensorProto | undefined {
  if (node.opType !== 'MatMul' && node.opType !== 'Gemm') return undefined;
  let name = (node.input ?? [])[1] ?? '';
  for (let depth = 0; depth < 8 && !initializers.has(name); depth++) {
    const producer = producers.get(name);
    if (producer?.opType !== 'Cast') break;
    name = (producer.input ?? [])[0] ?? '';
  }
  return initializers.get(name);
}

function findWeight(graph: GraphProto, layerName: string, initializers: Map<string, TensorProto>, producers: Map<string, NodeProto>, mapping: LayerMapping | undefined): TensorProto {
  const nodes = graph.node ?? [];
  if (mapping !== undefined) {
    const hits = new Set<TensorProto>();
    for (const [name, tensor] of initializers) if (mapNameToLayer(mapping, name) === layerName) hits.add(tensor);
    for (const node of nodes) {
      if (node.name && mapNameToLayer(mapping, node.name) === layerName) {
        const w = weightOfNode(node, initializers, producers);
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
    const w = weightOfNode(node, initializers, producers);
    if (w) return w;
  }
  const names = [...initializers.keys(), ...nodes.map((n) => n.name ?? '').filter((n) => n !== '')];
  throw new OnnxLayerNotFoundError(
    layerName,
    nearMatches(layerName, names),
    `tried initializers ${SUFFIXES.map((s) => JSON.stringify(layerName + s)).join(', ')} and MatMul/Gemm nodes named ${JSON.stringify(layerName)}${mapping ? ', and the mapping' : ''}`,
  );
}

/**
 * Locates and verifies the weight of every adapter layer. Throws {@link OnnxLayerNotFoundError}
 * (with near matches), {@link OnnxWeightUsageError} (non-MatMul use, mixed orientations, shared
 * weight refused, two adapter layers on one weight) or {@link OnnxWeightMismatchError} (shape,
 * dtype, fingerprint). Given layer shapes instead of an adapter (e.g. to prepare a model for
 * adapters not made yet), only shapes can be verified: `verify: 'shape'` is then required.
 *
 * @example
 * ```ts
 * const located = locateAdapterWeights(model, adapter, { mapping: [[/^(.*)\/kernel$/, '$1']] });
 * located.map((l) => `${l.layer.name} → ${l.initializer.name} (${l.orientation})`);
 * const shapes = locateAdapterWeights(model, [{ name: 'dense', rows: 64, cols: 32 }], { verify: 'shape' });
 * ```
 */
export function locateAdapterWeights(model: ModelProto, adapter: SshAdapter, options?: LocateOptions): LocatedWeight[];
export function locateAdapterWeights(model: ModelProto, layers: readonly LayerShape[], options: LocateOptions & { verify: 'shape' }): LocatedWeight<LayerShape>[];
export function locateAdapterWeights(model: ModelProto, layout: SshAdapter | readonly LayerShape[], options: LocateOptions = {}): LocatedWeight<LayerShape>[] {
  const adapter = Array.isArray(layout) ? null : (layout as SshAdapter);
  const layers: readonly LayerShape[] = adapter === null ? (layout as readonly LayerShape[]) : adapter.layers;
  if (adapter === null && options.verify !== 'shape') {
    throw new OnnxOptionError(`locating layer shapes without an adapter verifies shapes only: pass verify: 'shape' (got ${JSON.stringify(options.verify)})`);
  }
  const graph = model.graph!;
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? '', t);
  const producers = new Map<string, NodeProto>();
  for (const node of graph.node ?? []) for (const output of node.output ?? []) producers.set(output, node);
  if (options.mapping !== undefined) {
    const graphNames = new Set([...initializers.keys(), ...(graph.node ?? []).map((n) => n.name ?? '').filter((n) => n !== '')]);
    checkMapping(options.mapping, graphNames, new Set(layers.map((l) => l.name)));
  }
  const index = new GraphIndex(graph);
  const claimed = new Map<string, string>();
  const result: LocatedWeight<LayerShape>[] = [];
  for (const layer of layers) {
    const initializer = findWeight(graph, layer.name, initializers, producers, options.mapping);
    const name = initializer.name ?? '';
    const previous = claimed.get(name);
    if (previous !== undefined) throw new OnnxWeightUsageError(`adapter layers ${JSON.stringify(previous)} and ${JSON.stringify(layer.name)} both resolve to weight ${JSON.stringify(name)}`);
    claimed.set(name, layer.name);
    const where = `layer ${JSON.stringify(layer.name)} → weight ${JSON.stringify(name)}`;
    const analysis = index.analyze(initializer);
    if (!isGraphWeight(analysis)) {
      const prefix = `weight ${JSON.stringify(name)}`;
      const detail = analysis.message.startsWith(prefix) ? analysis.message.slice(prefix.length) : `: ${analysis.message}`;
      if (analysis.kind === 'unused' || analysis.kind === 'other-use' || analysis.kind === 'mixed-orientation') throw new OnnxWeightUsageError(`${where}${detail}`);
      if (analysis.kind === 'not-float') floatDtypeOf(initializer); // throws OnnxTensorError naming the data_type
      throw new OnnxWeightMismatchError(`${where}${detail} (the adapter expects [${layer.rows}, ${layer.cols}])`);
    }
    const { uses, orientation, dtype } = analysis;
    const warnings: string[] = [];
    if (uses.length > 1) {
      const list = uses.map((u) => JSON.stringify(u.node)).join(', ');
      if (options.sharedWeights === 'refuse') throw new OnnxWeightUsageError(`${where}: shared by ${uses.length} nodes (${list}) and sharedWeights is 'refuse'`);
      warnings.push(`${where} is shared by ${uses.length} nodes (${list}); the merged weight applies to all of them`);
    }
    for (const use of uses) {
      if (use.alpha !== undefined && use.alpha !== 1) {
        warnings.push(`${where}: Gemm node ${JSON.stringify(use.node)} has alpha = ${use.alpha}; the adapter's ΔW is added to the stored parameter (W0 + ΔW), so the node computes ${use.alpha}·x·(W0 + ΔW)`);
      }
    }
    const dims = tensorDims(initializer);
    const expected = orientation === 'matmul' ? [layer.rows, layer.cols] : [layer.cols, layer.rows];
    if (dims.length !== 2 || dims[0] !== expected[0] || dims[1] !== expected[1]) {
      throw new OnnxWeightMismatchError(
        `${where}: shape [${dims}] (${orientation === 'matmul' ? 'MatMul B, [d_in, d_out]' : 'Gemm transB=1, [d_out, d_in]'}) but the adapter expects [${expected}] for rows=${layer.rows}, cols=${layer.cols}`,
      );
    }
    if (adapter !== null && options.verify !== 'shape') {
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
