/** Shape of docs/results/results.json (the raw numbers of a run). */
export const RESULTS_FORMAT = 'ssh-peft-experiments';
export const RESULTS_VERSION = 2;

export interface RunRecord {
  seed: number;
  learningRate: number;
  valAccuracy: number;
  testAccuracy: number;
  secondsPerEpoch: number;
  diverged: boolean;
}

export interface MethodResult {
  id: string;
  label: string;
  family: string;
  /** `main` (the benchmark grid: target checks, plot) or `ablation` (what we tried beyond it). */
  group: 'main' | 'ablation';
  adapterParameters: number;
  trainableParameters: number;
  /** Seed-0 runs, one per candidate learning rate. */
  search: RunRecord[];
  chosenLearningRate: number;
  /** Runs at the chosen rate, one per seed (seed 0 is the search run). */
  seeds: RunRecord[];
  testMean: number;
  testStd: number;
  secondsPerEpochMean: number;
}

export interface TaskResult {
  id: string;
  title: string;
  description: string;
  facts: Record<string, string | number>;
  base: { sourceValAccuracy: number; targetTestAccuracyBeforeAdaptation: number; pretrainSeconds: number; parameters: number };
  headLearningRate: number;
  methods: MethodResult[];
  wallSeconds: number;
}

export interface ExperimentResults {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  createdAt: string;
  command: string;
  quick: boolean;
  config: unknown;
  tasks: TaskResult[];
  skippedTasks: string[];
  wallSeconds: number;
  environment: { node: string; tfjsBackend: string; cpus: number; loadAverageAtStart: number[] };
  /** Tasks taken from other runs of the same configuration (`--merge`), one entry per run. */
  merged?: Array<{ command: string; createdAt: string; wallSeconds: number; tasks: string[]; loadAverageAtStart: number[] }>;
}
