/**
 * How the repository starts headless Chromium for its browser tests, benchmarks and
 * screenshots: Debian's `chromium` package, with WebGL2 and WebGPU on SwiftShader (the CPU
 * emulating a GPU), and none of the background traffic a closed network would refuse.
 */

/** Browser binary; Debian's `chromium` package installs it here (`SSH_PEFT_CHROMIUM` overrides). */
export const CHROMIUM_PATH = process.env.SSH_PEFT_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that give a headless page WebGL2 and WebGPU, both on SwiftShader. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
];
