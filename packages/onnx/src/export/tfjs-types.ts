/**
 * The parts of tfjs objects the exporter reads, as structural types: the package imports tfjs
 * as types only, so it needs no tfjs at run time unless the exporter is used.
 */
export interface TensorLike {
  readonly shape: number[];
  dataSync(): ArrayLike<number>;
  dispose(): void;
}

export interface SymbolicTensorLike {
  readonly shape: Array<number | null>;
}

export interface NodeLike {
  inboundLayers: LayerLike[];
  nodeIndices: number[];
  tensorIndices: number[];
  inputTensors: SymbolicTensorLike[];
  outputTensors: SymbolicTensorLike[];
}

export interface LayerLike {
  readonly name: string;
  inboundNodes: NodeLike[];
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): TensorLike[];
  /** Trainable then non-trainable variables (so positions depend on freezing: look them up by name). */
  readonly weights: Array<{ readonly originalName: string; read(): TensorLike }>;
}

export interface ModelLike {
  readonly name: string;
  readonly layers: LayerLike[];
  inputLayers: LayerLike[];
  outputLayers: LayerLike[];
  outputLayersNodeIndices: number[];
  outputLayersTensorIndices: number[];
}

/** What the exporter needs from `@ssh-peft/tfjs`'s SshDense (read structurally). */
export interface SshDenseLike extends LayerLike {
  readonly units: number;
  readonly inputDim: number;
  readonly activationName: string;
  readonly useBias: boolean;
  readonly merged: boolean;
  readonly enabled: boolean;
  readonly kernel: { read(): TensorLike };
  deltaWeight(): TensorLike;
}
