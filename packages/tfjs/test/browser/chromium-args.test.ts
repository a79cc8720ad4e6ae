/**
 * The renderer choice of the browser sessions (tools/chromium.ts): which flags each value
 * gives Chromium, and that a mistyped SSH_PEFT_BROWSER_GPU is an error rather than a silent
 * fall-back to SwiftShader (a benchmark would then report the wrong renderer's figures).
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_GPUS, browserGpuFrom, chromiumArgs } from '../../../../tools/chromium';

describe('browser renderer choice', () => {
  it('defaults to SwiftShader for WebGL2 and WebGPU', () => {
    expect(browserGpuFrom(undefined)).toBe('swiftshader');
    expect(browserGpuFrom('')).toBe('swiftshader');
    const args = chromiumArgs('swiftshader');
    expect(args).toContain('--use-angle=swiftshader');
    expect(args).toContain('--use-webgpu-adapter=swiftshader');
  });

  it('llvmpipe moves WebGL2 to ANGLE on the system EGL and keeps WebGPU on SwiftShader', () => {
    const args = chromiumArgs(browserGpuFrom('llvmpipe'));
    expect(args).toContain('--use-angle=gl-egl');
    expect(args).not.toContain('--use-angle=swiftshader');
    expect(args).toContain('--use-webgpu-adapter=swiftshader');
  });

  it('hardware sets no software renderer', () => {
    const args = chromiumArgs(browserGpuFrom('hardware'));
    expect(args.filter((a) => /swiftshader|gl-egl/.test(a))).toEqual([]);
    expect(args).toContain('--enable-unsafe-webgpu');
  });

  it('every choice runs headless with no background traffic', () => {
    for (const gpu of BROWSER_GPUS) {
      expect(chromiumArgs(gpu)).toEqual(expect.arrayContaining(['--headless', '--disable-background-networking', '--disable-component-update']));
    }
  });

  it('rejects an unknown value, naming the variable and the choices', () => {
    expect(() => browserGpuFrom('gpu')).toThrow(/SSH_PEFT_BROWSER_GPU must be one of swiftshader, llvmpipe, hardware; got 'gpu'/);
  });
});
