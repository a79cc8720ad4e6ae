/**
 * The JSON contract between the Node side (tests, bench) and the page (page-entry.ts).
 */
export type GpuBackendName = 'webgl' | 'webgpu';
export type InputLayout = 'upload' | 'packed' | 'slice';

export interface InitReport {
  webgpuAdapter: boolean;
  webgpuAdapterInfo: string;
  webglVersion: number;
  /** The WebGL renderer string (WEBGL_debug_renderer_info), e.g. ANGLE on SwiftShader or llvmpipe. */
  webglRenderer: string;
  webglFloat32Render: boolean;
  backends: Record<string, boolean>;
}

export interface Diff {
  maxAbsDiff: number;
  maxAbsRef: number;
}

export interface DhtParityArgs {
  backend: GpuBackendName;
  shape: number[];
  scale: number;
  seed: number;
  layout: InputLayout;
}

export interface DhtParityResult extends Diff {
  sameShape: boolean;
  leakedTensors: number;
  leakedDataIds: number;
  kernelBackend: string;
}

export interface DhtPlanParityArgs {
  backend: GpuBackendName;
  shape: [number, number];
  seed: number;
  /** Prime factors from this value up go through the Bluestein stage (Infinity: never). */
  bluesteinMinPrime: number;
  /** Texture layout of the webgl passes (default: the kernel's); ignored on webgpu. */
  webglLayout?: 'gather' | 'packed' | 'mirrored';
}

export interface DhtMatMulParityArgs {
  backend: GpuBackendName;
  /** x: [rows, n]; the op's output enters two matMuls that contract over n and over rows. */
  rows: number;
  n: number;
  seed: number;
}

export interface DhtPlanParityResult extends Diff {
  /** Length of the Bluestein stage in the schedule run (1: none) and its convolution length. */
  bluesteinLength: number;
  convLength: number;
  passes: number;
  leakedDataIds: number;
}

export interface SshLinearParityArgs {
  backend: GpuBackendName;
  tokens: number;
  rows: number;
  cols: number;
  count: number;
  variant: 'separable' | 'true';
  path: 'factored' | 'dense';
  seed: number;
}

export interface SparseMixParityArgs {
  backend: GpuBackendName;
  tokens: number;
  inDim: number;
  outSize: number;
  /** Number of coefficients n. */
  count: number;
  /** Terms per coefficient: 1 (separable: no coefIndex/weight) or more (grouped, weighted, like the true-2D variant). */
  termsPerCoefficient: number;
  seed: number;
  /** On webgl: the texture layout of the mix programs registered for the run (default: the kernel's own). */
  webglMixLayout?: 'gather' | 'packed';
}

export interface TrainModelArgs {
  backend: GpuBackendName;
  /** Training steps (trainOnBatch) on the GPU backend. */
  steps: number;
  /** 2D variant of the adapters. */
  variant: 'separable' | 'true';
  seed: number;
}

export interface TrainModelResult {
  /** Loss before each step on the GPU backend (trainOnBatch's return value). */
  losses: number[];
  /** Loss of the first step on cpu (same model, data and seeds). */
  cpuFirstLoss: number;
  /** Coefficients of every adapted layer after the first step, GPU vs cpu. */
  coefficientsAfterFirstStep: Diff;
  /** Adapted layers and their routes. */
  adaptedLayers: string[];
  /** Engine tensors gained per step after the first (0 = no leak). */
  tensorsGainedPerStep: number;
  backendAfter: string;
}

export interface BenchDhtArgs {
  backend: GpuBackendName;
  n: number;
  rows: number;
  /** Wall-clock budget per measured op (ms); repetitions adapt to it. */
  budgetMs: number;
  /** Budget for tfjs's O(N²) rfft: one run when a single call exceeds it. */
  rfftBudgetMs: number;
  /** Whether to time tfjs's rfft. */
  rfft: boolean;
  /** Whether to time the cas-matrix matMul, `tf.matMul(x, C)` with a cached N×N matrix. */
  casMatMul: boolean;
  /** Extra schedules to time through the kernel's pass loop (threshold and radix choices). */
  plans: PlanVariant[];
}

export interface PlanVariant {
  label: string;
  directMaxLength: number;
  radices: number[];
  /** Prime factors from this value up go through the Bluestein stage (default: the backend's). */
  bluesteinMinPrime?: number;
  /** Texture layout of the webgl passes (default: the kernel's); ignored on webgpu. */
  webglLayout?: 'gather' | 'packed' | 'mirrored';
}

export interface Timing {
  ms: number;
  runs: number;
}

export interface BenchDhtResult {
  /** The op as users call it (the kernel's default schedule). */
  dht: Timing;
  rfft: Timing | null;
  casMatMul: Timing | null;
  /** Per schedule: passes after the Bluestein stage, and the stage as "Q = …, M = …" (absent without one). */
  plans: Record<string, Timing & { passes: number; bluestein?: string }>;
}

export interface HarnessApi {
  init(): Promise<InitReport>;
  dhtParity(args: DhtParityArgs): Promise<DhtParityResult>;
  dhtGradParity(args: Omit<DhtParityArgs, 'layout'>): Promise<Diff>;
  /** The kernel's pass loop with the backend's radices and an explicit Bluestein threshold, against the cpu op. */
  dhtPlanParity(args: DhtPlanParityArgs): Promise<DhtPlanParityResult>;
  /**
   * dht(x)·W ([rows, n]·[n, 3]) and Vᵀ·dht(x) ([3, rows]·[rows, n]) against cpu: tfjs's
   * packed matMul multiplies the padding lanes of odd sizes, so they must hold zeros.
   */
  dhtMatMulParity(args: DhtMatMulParityArgs): Promise<{ right: Diff; left: Diff }>;
  sshLinearParity(args: SshLinearParityArgs): Promise<{ y: Diff; dx: Diff; dc: Diff; leakedTensors: number }>;
  /** The sparse-mix kernels (forward, ∂x, ∂c through tf.grads) against cpu on random terms. */
  sparseMixParity(args: SparseMixParityArgs): Promise<{ y: Diff; dx: Diff; dc: Diff; yConsumers: Diff; dxConsumers: Diff; leakedTensors: number; kernelBackend: string }>;
  /** The composed (stock-op) route of the sparse mix on the GPU backend against cpu, for the sshLinearParity inputs. */
  composedMixParity(args: SshLinearParityArgs): Promise<{ y: Diff; dx: Diff; dc: Diff }>;
  /** Trains a small Dense model with SSH adapters on three layers (trainOnBatch), against cpu. */
  trainModel(args: TrainModelArgs): Promise<TrainModelResult>;
  /** The `@ssh-peft/tfjs/gpu` documentation example: DHT of [[1, 2, 3, 4]] on the backend. */
  docExample(backend: GpuBackendName): Promise<{ values: number[]; backend: string }>;
  /** Calls the kernel directly (bypassing the op's checks) with an int32 input; returns the error message. */
  kernelRejectsInt32(backend: GpuBackendName): Promise<string>;
  benchDhtOp(args: BenchDhtArgs): Promise<BenchDhtResult>;
}
