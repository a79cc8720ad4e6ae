/**
 * The demo's report: every number of one run, as written to `report.json`. The top-level
 * summary fields are what `ssh-peft demo --json` prints.
 */

/** Per-layer outcome of the global selection. */
export interface ReportLayer {
  name: string;
  rows: number;
  cols: number;
  /** Positions given to this layer by the global ranking (= its trainable coefficients). */
  positions: number;
  /** Of which chosen by energy (the rest are the seeded random share). */
  energyChosen: number;
  /** Share of the layer's spectral energy at its positions, in [0, 1]. */
  capturedEnergy: number;
}

/** Everything `report.json` holds. */
export interface DemoReport {
  /** Base model on the target task (held-out), before adaptation. */
  baseAccuracy: number;
  /** SSH-adapted tfjs model on the target task (held-out). */
  adaptedAccuracy: number;
  /** Base model with the adapter merged, exported to ONNX, run in onnxruntime-node. */
  onnxAccuracy: number;
  /** max |ONNX − tfjs| over all output probabilities of the held-out split. */
  maxAbsDiff: number;
  /** Parameters trained during adaptation (SSH coefficients only). */
  trainableParams: number;
  /** Parameters of the base model. */
  totalParams: number;
  /** Wall-clock seconds of the whole run. */
  seconds: number;
  /** Absolute path of the report folder. */
  reportDir: string;

  tool: { name: 'ssh-peft demo'; version: string; node: string; backendPretrain: string; backendAdapt: string };
  seed: number;
  quick: boolean;
  task: { name: string; description: string; rationale: string };
  data: {
    source: string;
    licence: string;
    images: number;
    pretrainImages: number;
    adaptImages: number;
    testImages: number;
  };
  model: { architecture: string; dim: number; depth: number; heads: number; mlpDim: number; totalParams: number };
  pretraining: {
    cached: boolean;
    cacheKey: string;
    steps: number;
    batchSize: number;
    learningRate: number;
    frozen: string[];
    seconds: number;
    /** Base model on the source task (upright digits), held-out. */
    sourceAccuracy: number;
  };
  selection: {
    strategy: 'global';
    score: string;
    budget: number;
    energyRatio: number;
    targets: string;
    layers: ReportLayer[];
    /** The weight shown in `energy-map.svg`. */
    energyMapLayer: string;
  };
  adaptation: {
    steps: number;
    batchSize: number;
    learningRate: number;
    alpha: number;
    init: string;
    trainableParams: number;
    trainablePercent: number;
    /** LoRA rank-1 on the same layers would train this many parameters. */
    loraRank1Params: number;
    headTrainable: false;
    seconds: number;
  };
  baselines: {
    /** Only the classifier head trained, same steps and data: does the body need to change? */
    headOnly: { trainableParams: number; accuracy: number; learningRate: number; steps: number } | null;
  };
  onnx: {
    opset: number | null;
    argmaxAgreement: number;
    baseOnnxAccuracy: number;
  };
  losses: { pretrain: number[]; adapt: number[]; headOnly: number[] };
  timings: Record<string, number>;
  files: string[];
}

/** The summary `--json` prints (the report without the bulky arrays). */
export function demoSummary(report: DemoReport): Record<string, unknown> {
  const { losses: _losses, ...rest } = report;
  return rest;
}
