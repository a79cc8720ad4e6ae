/**
 * How the repository starts headless Chromium for its browser tests, benchmarks and
 * screenshots: Debian's `chromium` package, with WebGL2 and WebGPU on SwiftShader (the CPU
 * emulating a GPU) unless `SSH_PEFT_BROWSER_GPU` says otherwise, and none of the background
 * traffic a closed network would refuse.
 */

/** Browser binary; Debian's `chromium` package installs it here (`SSH_PEFT_CHROMIUM` overrides). */
export const CHROMIUM_PATH = process.env.SSH_PEFT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * What runs the page's WebGL2 and WebGPU:
 * - `swiftshader` (default): Chromium's bundled CPU renderer for both; the same on every machine.
 * - `llvmpipe`: WebGL2 through ANGLE on Mesa's llvmpipe (a second CPU renderer, LLVM-compiled
 *   and SIMD-wide; Debian's `libegl-mesa0` and `libgl1-mesa-dri`); WebGPU stays on SwiftShader.
 * - `hardware`: no software-renderer flags, so Chromium uses the machine's GPU for both
 *   (GPU driver required); the benchmark's environment line names the renderer that ran.
 */
export type BrowserGpu = 'swiftshader' | 'llvmpipe' | 'hardware';

export const BROWSER_GPUS: readonly BrowserGpu[] = ['swiftshader', 'llvmpipe', 'hardware'];

/** Reads a renderer choice (the value of `SSH_PEFT_BROWSER_GPU`); unset or empty means `swiftshader`. */
export function browserGpuFrom(value: string | undefined): BrowserGpu {
  if (value === undefined || value === '') return 'swiftshader';
  if ((BROWSER_GPUS as readonly string[]).includes(value)) return value as BrowserGpu;
  throw new Error(`SSH_PEFT_BROWSER_GPU must be one of ${BROWSER_GPUS.join(', ')}; got '${value}'`);
}

/** Chromium flags for a headless page with WebGL2 and WebGPU on `gpu`. */
export function chromiumArgs(gpu: BrowserGpu): string[] {
  const renderer: Record<BrowserGpu, string[]> = {
    swiftshader: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'],
    llvmpipe: ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'],
    hardware: ['--ignore-gpu-blocklist', '--enable-features=Vulkan'],
  };
  return [
    '--headless',
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--enable-unsafe-webgpu',
    ...renderer[gpu],
  ];
}

/** The renderer of this process's browser sessions (`SSH_PEFT_BROWSER_GPU`). */
export const BROWSER_GPU: BrowserGpu = browserGpuFrom(process.env.SSH_PEFT_BROWSER_GPU);

/** Flags of this process's browser sessions: {@link chromiumArgs} of {@link BROWSER_GPU}. */
export const CHROMIUM_ARGS: readonly string[] = chromiumArgs(BROWSER_GPU);
