/** Creating an onnxruntime-node InferenceSession on CUDA when available, else on CPU. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxExecutionProviderError, OnnxOptionError } from './errors';

/** The command that installs the CUDA 12 binaries of onnxruntime-node (read by its install script). */
export const CUDA_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node';

/** Options of {@link createSession}. */
export interface CreateSessionOptions {
  /** `'auto'` (default): CUDA when available, else CPU with a one-line notice; `'cpu'`; `'cuda'` = require CUDA. */
  device?: 'auto' | 'cpu' | 'cuda';
  /** `'cuda'`: fail with {@link OnnxExecutionProviderError} instead of falling back. */
  require?: 'cuda';
  /** Further session options (executionProviders is set by this helper). */
  sessionOptions?: Omit<ort.InferenceSession.SessionOptions, 'executionProviders'>;
  /** Availability probe (tests inject one); default {@link isCudaAvailable}. */
  cudaProbe?: () => boolean;
  /** Where the fallback notice goes (default `console.warn`); `null` silences it. */
  notice?: ((message: string) => void) | null;
}

/** The session and the provider it runs on. */
export interface CreatedSession {
  session: ort.InferenceSession;
  executionProvider: 'cuda' | 'cpu';
}

/** What {@link isCudaAvailable} reads from the installation, injectable so that the decision can be tested anywhere. */
export interface CudaProbeInputs {
  /** `ort.listSupportedBackends()`. */
  backends: ReadonlyArray<{ readonly name: string; readonly bundled: boolean }>;
  /** The directory of the native binding (may throw when onnxruntime-node cannot be resolved). */
  bindingDirectory: () => string;
  exists: (path: string) => boolean;
}

/**
 * The decision of {@link isCudaAvailable}: `cuda` is listed and either bundled or its provider
 * library (`libonnxruntime_providers_cuda.so` or `onnxruntime_providers_cuda.dll`) is present in
 * the binding directory.
 *
 * @example
 * ```ts
 * cudaAvailableFrom({ backends: [{ name: 'cpu', bundled: true }], bindingDirectory: () => '/x', exists: () => true }); // false
 * ```
 */
export function cudaAvailableFrom(inputs: CudaProbeInputs): boolean {
  const cuda = inputs.backends.find((b) => b.name === 'cuda');
  if (!cuda) return false;
  if (cuda.bundled) return true;
  try {
    const dir = inputs.bindingDirectory();
    return inputs.exists(join(dir, 'libonnxruntime_providers_cuda.so')) || inputs.exists(join(dir, 'onnxruntime_providers_cuda.dll'));
  } catch {
    return false;
  }
}

/**
 * Whether this onnxruntime-node installation can run the CUDA execution provider: it must list
 * `cuda` in `listSupportedBackends()` and its provider library must be present next to the
 * binding (it is not bundled in the npm package; the install script downloads it on request).
 *
 * @example
 * ```ts
 * if (!isCudaAvailable()) console.log(`GPU: run ${CUDA_INSTALL_COMMAND}`);
 * ```
 */
export function isCudaAvailable(): boolean {
  return cudaAvailableFrom({
    backends: ort.listSupportedBackends(),
    bindingDirectory: () => {
      const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
      return join(root, 'bin', 'napi-v6', process.platform, process.arch);
    },
    exists: existsSync,
  });
}

/**
 * Chooses the execution provider (pure decision, exported for tests and for callers that build
 * sessions themselves). Throws {@link OnnxExecutionProviderError} when CUDA is required
 * and missing, {@link OnnxOptionError} for unknown option values.
 *
 * @example
 * ```ts
 * const ep = chooseExecutionProvider({ device: 'auto', notice: null }); // 'cuda' or 'cpu'
 * await ort.InferenceSession.create('model.onnx', { executionProviders: [ep] });
 * ```
 */
export function chooseExecutionProvider(options: Pick<CreateSessionOptions, 'device' | 'require' | 'cudaProbe' | 'notice'> = {}): 'cuda' | 'cpu' {
  const device = options.device ?? 'auto';
  if (!['auto', 'cpu', 'cuda'].includes(device)) throw new OnnxOptionError(`device must be 'auto', 'cpu' or 'cuda', got ${JSON.stringify(device)}`);
  if (options.require !== undefined && options.require !== 'cuda') throw new OnnxOptionError(`require must be 'cuda' or undefined, got ${JSON.stringify(options.require)}`);
  const wantsCuda = options.require === 'cuda' || device === 'cuda';
  if (device === 'cpu' && !wantsCuda) return 'cpu';
  const available = (options.cudaProbe ?? isCudaAvailable)();
  if (available) return 'cuda';
  if (wantsCuda) {
    throw new OnnxExecutionProviderError(
      `the CUDA execution provider is not available in this onnxruntime-node installation (linux x64 + CUDA 12 only). Install its binaries with: ${CUDA_INSTALL_COMMAND} (or npm install with --onnxruntime-node-install=cuda12)`,
    );
  }
  const notice = options.notice === undefined ? (m: string) => console.warn(m) : options.notice;
  notice?.(`@ssh-peft/onnx: CUDA execution provider not available, running on CPU (enable CUDA: ${CUDA_INSTALL_COMMAND})`);
  return 'cpu';
}

/**
 * Creates an `InferenceSession` on CUDA when available, else CPU (with a one-line notice);
 * `require: 'cuda'` throws {@link OnnxExecutionProviderError} quoting the install command.
 *
 * @example
 * ```ts
 * import { createSession } from '@ssh-peft/onnx';
 * const { session, executionProvider } = await createSession('model.merged.onnx');
 * ```
 */
export async function createSession(model: string | Uint8Array, options: CreateSessionOptions = {}): Promise<CreatedSession> {
  const executionProvider = chooseExecutionProvider(options);
  const sessionOptions: ort.InferenceSession.SessionOptions = { ...options.sessionOptions, executionProviders: [executionProvider] };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
  return { session, executionProvider };
}
