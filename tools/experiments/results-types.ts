/** Shape of docs/results/results.json (the raw numbers of a run). */
export const RESULTS_FORMAT = 'ssh-peft-experiments';
export const RESULTS_VERSION = 1;

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
}
