/** Accumulates the nodes, initializers and unique names of an ONNX graph under construction. */
import { DataType, type AttributeProto, type NodeProto, type TensorProto } from './proto';

/** An attribute value: INT, INTS (array or `{ ints }`), STRING, or FLOAT (`{ float }`). */
export type AttributeValue = number | number[] | string | { ints: number[] } | { float: number };

function attribute(name: string, value: AttributeValue): AttributeProto {
  // AttributeProto.AttributeType: FLOAT=1, INT=2, STRING=3, INTS=7.
  if (typeof value === 'string') return { name, type: 3, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: 2, i: value };
  if (Array.isArray(value)) return { name, type: 7, ints: value };
  if ('float' in value) return { name, type: 1, f: value.float };
  return { name, type: 7, ints: value.ints };
}

/**
 * An ONNX graph under construction: nodes, initializers, and names kept unique.
 *
 * @example
 * ```ts
 * import { GraphBuilder, encodeModel } from '@ssh-peft/onnx';
 * const g = new GraphBuilder();
 * const w = g.floatTensor('dense/kernel', [2, 3], [1, 2, 3, 4, 5, 6]);
 * const y = g.node('MatMul', 'dense/MatMul', ['x', w]);   // output name 'dense/MatMul:0'
 * const bytes = encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { node: g.nodes, initializer: g.initializers } });
 * ```
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();

  /** A name not used yet in this graph (suffixing `_1`, `_2`… on collision). */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a float32 initializer (values copied as little-endian raw data). */
  floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const unique = this.unique(name);
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
    this.initializers.push({ name: unique, dataType: DataType.FLOAT, dims: [...dims], rawData: raw });
    return unique;
  }

  /** Adds an int64 initializer. */
  int64Tensor(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
    this.initializers.push({ name: unique, dataType: DataType.INT64, dims: [values.length], rawData: raw });
    return unique;
  }

  /** Adds a node; returns its (single) output name. */
  node(opType: string, name: string, inputs: readonly string[], attrs: Record<string, AttributeValue> = {}, output?: string): string {
    const nodeName = this.unique(name);
    const out = output ?? this.unique(`${nodeName}:0`);
    this.nodes.push({
      opType,
      name: nodeName,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }
}
