/**
 * Small pre-norm transformer classifiers built from standard tfjs layers plus the two
 * custom layers of this package. Layer names are part of the public contract: the
 * ONNX exporter and the demo find layers by them (see the package README).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { SshOptionError } from '../errors';
import { SshPositionEmbedding } from './position-embedding';
import { SshSelfAttention } from './self-attention';

/** Width options shared by both builders. */
export interface TransformerSizeOptions {
  /** Model width D (must be divisible by `heads`). */
  dim: number;
  /** Number of transformer blocks. */
  depth: number;
  /** Attention heads per block. */
  heads: number;
  /** Hidden width of each block's MLP. */
  mlpDim: number;
  /** Number of output classes of the softmax head. */
  numClasses: number;
  /** Seed of every initialiser: the same seed gives the same weights. */
  seed: number;
}

/** Options of {@link buildTinyViT}. */
export interface TinyViTOptions extends TransformerSizeOptions {
  /** Side of the square greyscale image; only 28 is supported (input is [B, 784]). */
  imageSize?: 28;
  /** Side of a square patch; only 7 is supported (16 patches of 49 pixels). */
  patchSize?: 7;
}

/** Options of {@link buildTinyTextClassifier}. */
export interface TinyTextClassifierOptions extends TransformerSizeOptions {
  vocabSize: number;
  seqLen: number;
}

function assertPositiveInt(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new SshOptionError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

function validateSizes(o: TransformerSizeOptions, builder: string): void {
  for (const key of ['dim', 'depth', 'heads', 'mlpDim', 'numClasses'] as const) assertPositiveInt(o[key], `${builder}: ${key}`);
  if (typeof o.seed !== 'number' || !Number.isInteger(o.seed)) {
    throw new SshOptionError(`${builder}: seed must be an integer, got ${String(o.seed)}`);
  }
  if (o.dim % o.heads !== 0) throw new SshOptionError(`${builder}: dim ${o.dim} is not divisible by heads ${o.heads}`);
}

/** Hands out a distinct, deterministic seed to each initialiser. */
class SeedSequence {
  private next: number;
  constructor(seed: number) {
    this.next = seed * 1000;
  }
  take(): number {
    return this.next++;
  }
}

function dense(name: string, units: number, seeds: SeedSequence, activation?: 'relu' | 'softmax'): tfl.layers.Layer {
  return tfl.layers.dense({
    name,
    units,
    activation,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds.take() }),
    biasInitializer: 'zeros',
  });
}

/**
 * Appends the transformer blocks, final norm, pooling and softmax head to `x` (a
 * `[B, T, dim]` symbolic tensor that already carries position information).
 */
function encoderAndHead(x: tfl.SymbolicTensor, o: TransformerSizeOptions, seeds: SeedSequence): tfl.SymbolicTensor {
  let h = x;
  for (let i = 0; i < o.depth; i++) {
    const p = `block${i}`;
    const n1 = tfl.layers.layerNormalization({ name: `${p}_ln1`, axis: -1 }).apply(h) as tfl.SymbolicTensor;
    const q = dense(`${p}_q`, o.dim, seeds).apply(n1) as tfl.SymbolicTensor;
    const k = dense(`${p}_k`, o.dim, seeds).apply(n1) as tfl.SymbolicTensor;
    const v = dense(`${p}_v`, o.dim, seeds).apply(n1) as tfl.SymbolicTensor;
    const a = new SshSelfAttention({ name: `${p}_attn`, numHeads: o.heads }).apply([q, k, v]) as tfl.SymbolicTensor;
    const ao = dense(`${p}_o`, o.dim, seeds).apply(a) as tfl.SymbolicTensor;
    h = tfl.layers.add({ name: `${p}_add1` }).apply([h, ao]) as tfl.SymbolicTensor;
    const n2 = tfl.layers.layerNormalization({ name: `${p}_ln2`, axis: -1 }).apply(h) as tfl.SymbolicTensor;
    const m1 = dense(`${p}_mlp1`, o.mlpDim, seeds, 'relu').apply(n2) as tfl.SymbolicTensor;
    const m2 = dense(`${p}_mlp2`, o.dim, seeds).apply(m1) as tfl.SymbolicTensor;
    h = tfl.layers.add({ name: `${p}_add2` }).apply([h, m2]) as tfl.SymbolicTensor;
  }
  const f = tfl.layers.layerNormalization({ name: 'final_ln', axis: -1 }).apply(h) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling1d({ name: 'pool' }).apply(f) as tfl.SymbolicTensor;
  return dense('head', o.numClasses, seeds, 'softmax').apply(pooled) as tfl.SymbolicTensor;
}

/**
 * A tiny Vision Transformer for 28×28 greyscale images given as flat `[B, 784]` rows:
 * 16 patches of 7×7 pixels → `patch_embed` → `pos_embed` → `depth` pre-norm blocks →
 * `final_ln` → `pool` → `head` (softmax). Deterministic for a given `seed`.
 *
 * @example
 * ```ts
 * const model = buildTinyViT({ dim: 32, depth: 2, heads: 4, mlpDim: 64, numClasses: 10, seed: 1 });
 * model.predict(tf.zeros([2, 784]));   // [2, 10]
 * ```
 */
export function buildTinyViT(options: TinyViTOptions): tfl.LayersModel {
  const o = options;
  if ((o.imageSize ?? 28) !== 28 || (o.patchSize ?? 7) !== 7) {
    throw new SshOptionError(
      `buildTinyViT: only imageSize 28 with patchSize 7 is supported, got imageSize ${String(o.imageSize)}, patchSize ${String(o.patchSize)}`,
    );
  }
  validateSizes(o, 'buildTinyViT');
  const seeds = new SeedSequence(o.seed);
  const input = tfl.input({ shape: [784], name: 'pixels' });
  // Row-major 28×28 = [patchRow, row, patchCol, col]; bring the two patch indices first.
  const grid = tfl.layers.reshape({ name: 'to_grid', targetShape: [4, 7, 4, 7] }).apply(input) as tfl.SymbolicTensor;
  const perm = tfl.layers.permute({ name: 'to_patches', dims: [1, 3, 2, 4] }).apply(grid) as tfl.SymbolicTensor;
  const patches = tfl.layers.reshape({ name: 'flatten_patches', targetShape: [16, 49] }).apply(perm) as tfl.SymbolicTensor;
  const embedded = dense('patch_embed', o.dim, seeds).apply(patches) as tfl.SymbolicTensor;
  const positioned = new SshPositionEmbedding({ name: 'pos_embed', seed: seeds.take() }).apply(embedded) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: encoderAndHead(positioned, o, seeds), name: 'tiny_vit' });
}

/**
 * A tiny transformer text classifier: token ids `[B, seqLen]` → `token_embed` →
 * `pos_embed` → `depth` pre-norm blocks → `final_ln` → `pool` → `head` (softmax).
 *
 * @example
 * ```ts
 * const model = buildTinyTextClassifier({ vocabSize: 100, seqLen: 12, dim: 32, depth: 1, heads: 4, mlpDim: 64, numClasses: 2, seed: 3 });
 * model.predict(tf.zeros([1, 12]));   // [1, 2]
 * ```
 */
export function buildTinyTextClassifier(options: TinyTextClassifierOptions): tfl.LayersModel {
  const o = options;
  validateSizes(o, 'buildTinyTextClassifier');
  assertPositiveInt(o.vocabSize, 'buildTinyTextClassifier: vocabSize');
  assertPositiveInt(o.seqLen, 'buildTinyTextClassifier: seqLen');
  const seeds = new SeedSequence(o.seed);
  const input = tfl.input({ shape: [o.seqLen], name: 'tokens' });
  const embedded = tfl.layers
    .embedding({
      name: 'token_embed',
      inputDim: o.vocabSize,
      outputDim: o.dim,
      inputLength: o.seqLen,
      embeddingsInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seeds.take() }),
    })
    .apply(input) as tfl.SymbolicTensor;
  const positioned = new SshPositionEmbedding({ name: 'pos_embed', seed: seeds.take() }).apply(embedded) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: encoderAndHead(positioned, o, seeds), name: 'tiny_text_classifier' });
}
