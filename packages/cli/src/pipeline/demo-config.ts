/**
 * The demo's configuration: sizes, steps and rates, full and quick. Everything that changes
 * the pretrained weights is in {@link PretrainConfig}, which keys the base-model cache.
 */
import type { TargetTask } from '../data/target-task';

/** Tiny ViT sizes (see `buildTinyViT` in @ssh-peft/tfjs). */
export interface VitSize {
  dim: number;
  depth: number;
  heads: number;
  mlpDim: number;
}

/** Everything that determines the base model's weights. */
export interface PretrainConfig {
  /**
   * Bumped when the pretraining code changes in a way that changes weights (v2: the one-pass
   * Tile gradient of @ssh-peft/tfjs sums LayerNormalization's gradient in another order).
   */
  recipe: 'adam-constant-lr/frozen-norms/v2';
  backend: 'wasm';
  model: VitSize & { numClasses: 10 };
  seed: number;
  /** Size of the pretraining split (the first slice of the seeded permutation). */
  images: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  /** SHA-256 of the MNIST pixels and labels: a different data set is a different model. */
  dataSha256: string;
}

/** The full run configuration. */
export interface DemoConfig {
  seed: number;
  quick: boolean;
  task: TargetTask;
  pretrain: Omit<PretrainConfig, 'dataSha256' | 'seed' | 'recipe' | 'backend'>;
  split: { pretrain: number; adapt: number; test: number };
  adapt: {
    steps: number;
    batchSize: number;
    learningRate: number;
    budget: number;
    energyRatio: number;
    alpha: number;
    /** Source of the RegExp selecting the adapted Dense layers. */
    targets: string;
  };
  headBaseline: { enabled: boolean; learningRate: number };
}

/** Attention projections and both MLP layers of every block. */
export const ADAPTED_LAYERS = '^block\\d+_(q|k|v|o|mlp1|mlp2)$';

/** Options a user can set on the command line. */
export interface DemoOverrides {
  seed: number;
  quick: boolean;
  task: TargetTask;
  budget?: number;
  steps?: number;
  headBaseline?: boolean;
}

/**
 * The configuration for `overrides`: the full run sized to finish in under three minutes on
 * two cores, the quick run in well under a minute.
 */
export function demoConfig(overrides: DemoOverrides): DemoConfig {
  const model = { dim: 32, depth: 2, heads: 4, mlpDim: 64, numClasses: 10 as const };
  const full = !overrides.quick;
  const split = full ? { pretrain: 6000, adapt: 2000, test: 1000 } : { pretrain: 1500, adapt: 500, test: 200 };
  return {
    seed: overrides.seed,
    quick: overrides.quick,
    task: overrides.task,
    pretrain: { model, images: split.pretrain, steps: full ? 300 : 60, batchSize: full ? 64 : 32, learningRate: 5e-3 },
    split,
    adapt: {
      steps: overrides.steps ?? (full ? 200 : 30),
      batchSize: 32,
      // From a 5-rate sweep of both methods on seed 7 (docs/demo.md): SSH 3e-3…1e-1 gave
      // 54.9 / 56.5 (5e-3) / 56.1 / 41.5 / 32.2 %, the head 3e-3…1e-1 7.0 / 27.3 / 43.4 / 39.4 %.
      learningRate: 1e-2,
      budget: overrides.budget ?? 1500,
      energyRatio: 0.7,
      alpha: 300,
      targets: ADAPTED_LAYERS,
    },
    headBaseline: { enabled: overrides.headBaseline ?? true, learningRate: 3e-2 },
  };
}
