/**
 * The adaptation settings of the CLI demo's full run (`ssh-peft demo`), so the page and
 * `npm start` adapt the same base model the same way (a test compares these with the CLI's
 * `demoConfig`).
 */
export const DEMO_SETTINGS = {
  /** Seed of the selection's random share and of the batches. */
  seed: 7,
  /** Attention projections and both MLP layers of every block. */
  targets: '^block\\d+_(q|k|v|o|mlp1|mlp2)$',
  /** Total spectral positions, ranked across all targets (global selection). */
  budget: 1500,
  energyRatio: 0.7,
  alpha: 300,
  batchSize: 32,
  learningRate: 1e-2,
  /** Steps of a full run of the CLI demo (the page's default target). */
  steps: 200,
} as const;
