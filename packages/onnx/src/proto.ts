/**
 * The protobuf codec: `onnx-proto`, the static protobufjs 6 code generated from the official
 * onnx.proto. Chosen over a hand-written codec because it tracks the schema field numbers exactly
 * (unknown fields survive a decode/encode round trip only as far as protobufjs keeps them, so we
 * never re-encode graphs we did not need to touch). It is CommonJS: default import + destructure,
 * a named import breaks in plain Node ESM.
 */
import onnxProto from 'onnx-proto';
import { OnnxFormatError } from './errors';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;

/** ONNX TensorProto.DataType codes used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;

/** protobufjs gives int64 fields as number or Long; both become a safe JS number. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/**
 * Decodes model bytes. Throws {@link OnnxFormatError} naming `source` for anything that is not a
 * protobuf ModelProto with a graph (random bytes, truncated files, other protobuf messages).
 *
 * @example
 * ```ts
 * const model = decodeModel(readFileSync('model.onnx'), 'model.onnx');
 * ```
 */
export function decodeModel(bytes: Uint8Array, source = 'model bytes'): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new OnnxFormatError(`${source}: expected a Uint8Array, got ${Object.prototype.toString.call(bytes).slice(8, -1)}`);
  if (bytes.length === 0) throw new OnnxFormatError(`${source}: empty input is not an ONNX model`);
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxFormatError(`${source}: not an ONNX model or truncated protobuf (${(e as Error).message})`, { cause: e });
  }
  if (!model.graph || toNumber(model.irVersion as number) <= 0) {
    throw new OnnxFormatError(`${source}: decodes as protobuf but has no ir_version/graph, so it is not an ONNX ModelProto (${bytes.length} bytes)`);
  }
  return model;
}

/**
 * Encodes a model to bytes.
 *
 * @example
 * ```ts
 * writeFileSync('copy.onnx', encodeModel(decodeModel(bytes)));
 * ```
 */
export function encodeModel(model: ModelProto | onnxProto.onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}
