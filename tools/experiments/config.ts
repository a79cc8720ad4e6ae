/**
 * Everything that sizes the experiments: model and data sizes, the protocol, the SSH
 * budget n and the learning-rate grids. One place, so the report states exactly what ran.
 */
import type { MethodEntry } from './methods';
import type { TaskSizes } from './tasks';

/** How the script is invoked from the repository root (printed and recorded in the results). */
export const BASE_COMMAND = 'npx tsx --conditions=@ssh-peft/source tools/experiments/run.ts';

export interface ExperimentConfig {
  sizes: TaskSizes;
  /** SSH coefficients per adapted layer (FourierFT runs at n and 4n). */
  n: number;
  /** Candidate learning rates per method family; every family gets the same number. */
  lrGrid: Record<MethodEntry['family'], number[]>;
  pretrainEpochs: number;
  pretrainLearningRate: number;
  adaptEpochs: number;
  batchSize: number;
  seeds: number;
}

/**
 * The reported run: the demo's ViT size (dim 32, 2 blocks) for both task kinds, and n = 7
 * so that SSH's 12 adapted layers hold 84 coefficients, under 1/10 of LoRA r = 1's 896.
 * The grids are three rates a factor √10 apart per family, centred on a seed-0 probe of
 * five rates (1e-4…1e-1) judged on the validation splits of vision and text-imdb
 * (docs/results/grid-probe.log).
 */
export const FULL_CONFIG: ExperimentConfig = {
  sizes: {
    model: { dim: 32, depth: 2, heads: 4, mlpDim: 64 },
    vision: { pretrain: 6000, pretrainVal: 500, adapt: 1000, val: 500, test: 1500 },
    text: { adapt: 400, val: 200, test: 400, pretrainVal: 200, seqLen: 20, minCount: 2 },
  },
  n: 7,
  lrGrid: {
    head: [3e-3, 1e-2, 3e-2],
    full: [3e-4, 1e-3, 3e-3],
    lora: [3e-3, 1e-2, 3e-2],
    fourierft: [1e-3, 3e-3, 1e-2],
    ssh: [1e-3, 3e-3, 1e-2],
  },
  pretrainEpochs: 4,
  pretrainLearningRate: 3e-3,
  adaptEpochs: 6,
  batchSize: 32,
  seeds: 4,
};

/** A harness check end to end in well under a minute: not an experiment. */
export const QUICK_CONFIG: ExperimentConfig = {
  sizes: {
    model: { dim: 16, depth: 1, heads: 2, mlpDim: 32 },
    vision: { pretrain: 300, pretrainVal: 100, adapt: 100, val: 60, test: 100 },
    text: { adapt: 100, val: 60, test: 100, pretrainVal: 100, seqLen: 12, minCount: 2 },
  },
  n: 3,
  lrGrid: { head: [1e-2], full: [3e-3], lora: [1e-2], fourierft: [1e-2], ssh: [1e-2] },
  pretrainEpochs: 1,
  pretrainLearningRate: 5e-3,
  adaptEpochs: 1,
  batchSize: 32,
  seeds: 2,
};
