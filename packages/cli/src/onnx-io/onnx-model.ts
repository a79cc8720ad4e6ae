/**
 * The adaptable weights of an ONNX model for `select` and `inspect`: the float 2-D
 * initializers that feed a MatMul, or a Gemm without transB — the weights stored
 * `[d_in, d_out]`. Decoding and tensor reading are @ssh-peft/onnx's.
 */
import { decodeModel, readTensorValues, type ModelProto } from '@ssh-peft/onnx';
import { CliInputError } from '../errors';

/** One adaptable weight of an ONNX model. */
export interface OnnxWeight {
  /** Initializer name. */
  name: string;
  rows: number;
  cols: number;
  /** The op consuming it as its weight operand (`MatMul` or `Gemm`). */
  consumer: string;
}

/** Decodes ONNX bytes (errors name the file). */
export function decodeOnnx(bytes: Uint8Array, path: string): ModelProto {
  return decodeModel(bytes, path);
}

type Initializer = NonNullable<NonNullable<ModelProto['graph']>['initializer']>[number];

function initializers(model: ModelProto): Map<string, Initializer> {
  return new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
}

/** The `[d_in, d_out]` float weights of MatMul (and Gemm with transB = 0) nodes, in graph order. */
export function adaptableWeights(model: ModelProto): OnnxWeight[] {
  const inits = initializers(model);
  const found = new Map<string, OnnxWeight>();
  for (const node of model.graph?.node ?? []) {
    const op = node.opType ?? '';
    if (op !== 'MatMul' && op !== 'Gemm') continue;
    if (op === 'Gemm') {
      const transB = (node.attribute ?? []).find((a) => a.name === 'transB');
      if (transB && Number(transB.i) !== 0) continue;
    }
    const name = (node.input ?? [])[1];
    const tensor = name === undefined ? undefined : inits.get(name);
    if (!tensor || found.has(name)) continue;
    const dims = (tensor.dims ?? []).map(Number);
    // FLOAT (1) and DOUBLE (11) only: the spectrum of a quantised weight means nothing.
    if (dims.length !== 2 || (tensor.dataType !== 1 && tensor.dataType !== 11)) continue;
    found.set(name, { name, rows: dims[0], cols: dims[1], consumer: op });
  }
  return [...found.values()];
}

/** The values of initializer `name` (inline data; external data is refused by @ssh-peft/onnx with the tensor named). */
export function readInitializer(model: ModelProto, name: string, path: string): Float32Array | Float64Array {
  const tensor = initializers(model).get(name);
  if (!tensor) throw new CliInputError(path, `has no initializer '${name}'`);
  return readTensorValues(tensor);
}
