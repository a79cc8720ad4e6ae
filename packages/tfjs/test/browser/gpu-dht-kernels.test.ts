/**
 * The webgl and webgpu kernels of the DHT op, run in headless Chromium (SwiftShader)
 * and compared with the cpu backend in the same page: random shapes, odd and prime
 * lengths, several batch layouts, input textures/buffers as real graphs produce them,
 * the gradient through the op, and sshLinear's forward and backward on both routes.
 * Without Chromium these tests fail (never skip) with the command that installs it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { GpuBackendName } from './harness/harness-api';
import { propertyOptions, useBrowserSession, withinTolerance } from './harness/test-setup';

const ref = useBrowserSession();

describe('browser environment', () => {
  it('provides WebGL2 with float32 render targets and a real WebGPU adapter', () => {
    expect(ref.init.webglVersion, 'WebGL2 is required by the webgl kernel').toBe(2);
    expect(ref.init.webglFloat32Render, 'float32 colour buffers are required').toBe(true);
    expect(ref.init.webgpuAdapter, `navigator.gpu.requestAdapter() returned null (adapter: ${ref.init.webgpuAdapterInfo}); check the --enable-unsafe-webgpu flags`).toBe(true);
    expect(ref.init.backends).toEqual({ cpu: true, webgl: true, webgpu: true });
  });
});

const lengths = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 130 }) },
  { weight: 1, arbitrary: fc.constantFrom(243, 256, 343, 500, 509, 768, 1000, 1024) },
);
const leadingDims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 });

for (const backend of ['webgl', 'webgpu'] as GpuBackendName[]) {
  describe(`${backend} kernel of SshDhtLastAxis`, () => {
    it('equals the cpu kernel for random lengths, batch shapes, scales and input layouts', async () => {
      await fc.assert(
        fc.asyncProperty(
          lengths,
          leadingDims,
          fc.constantFrom(1, 0.5, -1.75, 0),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.constantFrom('upload' as const, 'packed' as const, 'slice' as const),
          async (n, lead, scaleChoice, seed, layout) => {
            const scale = scaleChoice === 0 ? 1 / n : scaleChoice;
            const r = await ref.session.call('dhtParity', { backend, shape: [...lead, n], scale, seed, layout });
            expect(r.kernelBackend).toBe(backend);
            expect(r.sameShape).toBe(true);
            expect(withinTolerance(r, n), `n=${n} lead=[${lead}] scale=${scale} layout=${layout}: max |gpu−cpu| ${r.maxAbsDiff} vs max |cpu| ${r.maxAbsRef}`).toBe(true);
            expect(r.leakedTensors).toBe(0);
            expect(r.leakedDataIds).toBe(0);
          },
        ),
        propertyOptions(24, backend === 'webgl' ? 0x5eed0001 : 0x5eed0002),
      );
    }, 120_000);

    it('handles model widths (3072, 4096, 11008 = 2⁸·43) and many rows', async () => {
      for (const [rows, n] of [
        [2, 3072],
        [1, 4096],
        [1, 11008],
        [257, 64],
        // 12.6M elements: more than 65535 workgroups per pass on webgpu (tfjs re-shapes the dispatch).
        [4096, 3072],
      ]) {
        const r = await ref.session.call('dhtParity', { backend, shape: [rows, n], scale: 1, seed: n + rows, layout: 'upload' });
        expect(withinTolerance(r, n), `[${rows}, ${n}]: max |gpu−cpu| ${r.maxAbsDiff} vs max |cpu| ${r.maxAbsRef}`).toBe(true);
      }
    }, 120_000);

    it('gradient through the op equals the cpu gradient', async () => {
      await fc.assert(
        fc.asyncProperty(lengths, leadingDims, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (n, lead, seed) => {
          const r = await ref.session.call('dhtGradParity', { backend, shape: [...lead, n], scale: 0.75, seed });
          expect(withinTolerance(r, n), `grad n=${n} lead=[${lead}]: ${r.maxAbsDiff} vs ${r.maxAbsRef}`).toBe(true);
        }),
        propertyOptions(12, backend === 'webgl' ? 0x5eed0003 : 0x5eed0004),
      );
    }, 120_000);

    it('sshLinear forward, ∂/∂x and ∂/∂c equal cpu on both routes and variants', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 2, max: 40 }),
          fc.integer({ min: 2, max: 40 }),
          fc.double({ min: 0.05, max: 0.5, noNaN: true }),
          fc.constantFrom('separable' as const, 'true' as const),
          fc.constantFrom('factored' as const, 'dense' as const),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (tokens, rows, cols, share, variant, path, seed) => {
            const count = Math.max(1, Math.floor(rows * cols * share));
            const r = await ref.session.call('sshLinearParity', { backend, tokens, rows, cols, count, variant, path, seed });
            const where = `tokens=${tokens} ${rows}×${cols} n=${count} ${variant} ${path}`;
            for (const key of ['y', 'dx', 'dc'] as const) {
              expect(withinTolerance(r[key], rows * cols, 2e-5), `${where} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
            }
            expect(r.leakedTensors, `${where}: tensors leaked`).toBe(0);
          },
        ),
        propertyOptions(4, backend === 'webgl' ? 0x5eed0005 : 0x5eed0006),
      );
    }, 120_000);

    it('sshLinear ∂/∂c at a self-reflected position (replay of the case where webgl gave 2× cpu) equals cpu', async () => {
      // 31×13, n = 94, true-2D, one token: position (0, 0) expands into four identical
      // terms. The composed route's ∂c went through tfjs-backend-webgl's UnsortedSegmentSum
      // with 94 segments, which double-counted segment 0 (see composedMix in src/ops/sparse-mix.ts).
      for (const path of ['factored', 'dense'] as const) {
        const r = await ref.session.call('sshLinearParity', { backend, tokens: 1, rows: 31, cols: 13, count: 94, variant: 'true', path, seed: 0 });
        for (const key of ['y', 'dx', 'dc'] as const) {
          expect(withinTolerance(r[key], 31 * 13, 2e-5), `${path} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
        }
      }
    }, 120_000);

    it('feeds packed matMuls correctly at odd sizes (the padding lanes of its output are zeros)', async () => {
      for (const [rows, n] of [
        [3, 5],
        [7, 33],
        [1, 17],
        [5, 1],
        [9, 250],
      ]) {
        const r = await ref.session.call('dhtMatMulParity', { backend, rows, n, seed: rows * 1000 + n });
        for (const key of ['right', 'left'] as const) {
          expect(withinTolerance(r[key], n), `[${rows}, ${n}] ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
        }
      }
    }, 120_000);

    it('runs the documented example of @ssh-peft/tfjs/gpu', async () => {
      expect(await ref.session.call('docExample', backend)).toEqual({ values: [10, -4, -2, 0], backend });
    });

    if (backend === 'webgl') {
      it('every pass layout (gather: one output per fragment, packed: a 2×2 texel per fragment, mirrored: pairs between passes) equals cpu', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(lengths, fc.constantFrom(4099, 11008)),
            fc.integer({ min: 1, max: 5 }),
            fc.constantFrom('gather' as const, 'packed' as const, 'mirrored' as const),
            fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            async (n, rows, webglLayout, seed) => {
              const r = await ref.session.call('dhtPlanParity', { backend, shape: [rows, n], seed, bluesteinMinPrime: 11, webglLayout });
              expect(r.leakedDataIds).toBe(0);
              expect(withinTolerance(r, n), `${webglLayout} [${rows}, ${n}]: max |gpu−cpu| ${r.maxAbsDiff} vs max |cpu| ${r.maxAbsRef}`).toBe(true);
            },
          ),
          propertyOptions(16, 0x5eed0007),
        );
      }, 300_000);
    }

    if (backend === 'webgl') {
      it('mirrored schedule: two passes, odd rows, radix-17/19/61 passes (twiddle powers from the table) equal cpu', async () => {
        // 20 = 4·5 (first and last only), 18 = 2·3·3, 68 = 4·17, 122 = 2·61, 1292 = 4·17·19 (a middle pass with p > 16), 256, 34 = 2·17.
        for (const [rows, n] of [
          [4, 20],
          [7, 18],
          [3, 68],
          [5, 122],
          [2, 1292],
          [3, 256],
          [1, 34],
        ] as Array<[number, number]>) {
          const r = await ref.session.call('dhtPlanParity', { backend, shape: [rows, n], seed: rows * n, bluesteinMinPrime: 100, webglLayout: 'mirrored' });
          expect(r.passes, `[${rows}, ${n}] runs as several passes`).toBeGreaterThan(1);
          expect(r.leakedDataIds).toBe(0);
          expect(withinTolerance(r, n), `mirrored [${rows}, ${n}]: max |gpu−cpu| ${r.maxAbsDiff} vs max |cpu| ${r.maxAbsRef}`).toBe(true);
        }
      }, 120_000);
    }

    it('the kernel itself rejects a non-float32 input with a typed error naming the dtype', async () => {
      const message = await ref.session.call('kernelRejectsInt32', backend);
      expect(message).toMatch(/^SshDtypeError: .*float32, got int32/);
    });
  });
}
