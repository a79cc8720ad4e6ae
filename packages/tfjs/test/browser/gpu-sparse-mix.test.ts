/**
 * The webgl and webgpu kernels of the sparse mix (SshSparseMix, SshSparseMixCoefGrad),
 * run in headless Chromium and compared with the cpu kernels in the same page: random
 * terms with repeated input and output columns, one or several weighted terms per
 * coefficient, forward and both gradients through tf.grads, on webgl in both texture
 * layouts of the programs (packed: a 2×2 block per fragment; gather: one output per
 * fragment), and packed matMuls consuming y and ∂x (they multiply a packed output's
 * padding lanes, which must hold 0). Also the composed stock-op route on the replay of the
 * webgl UnsortedSegmentSum defect.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { GpuBackendName } from './harness/harness-api';
import { propertyOptions, useBrowserSession, withinTolerance } from './harness/test-setup';

const ref = useBrowserSession();

for (const backend of ['webgl', 'webgpu'] as GpuBackendName[]) {
  describe(`${backend} kernels of SshSparseMix`, () => {
    it('forward, ∂/∂x and ∂/∂c equal the cpu kernels for random terms', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 70 }),
          fc.integer({ min: 1, max: 70 }),
          fc.integer({ min: 1, max: 120 }),
          fc.constantFrom(1, 2, 4),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.constantFrom('packed' as const, 'gather' as const),
          async (tokens, inDim, outSize, count, termsPerCoefficient, seed, webglMixLayout) => {
            const r = await ref.session.call('sparseMixParity', { backend, tokens, inDim, outSize, count, termsPerCoefficient, seed, webglMixLayout });
            const where = `T=${tokens} ${inDim}→${outSize} n=${count} r=${termsPerCoefficient} seed=${seed} layout=${webglMixLayout}`;
            expect(r.kernelBackend).toBe(backend);
            for (const key of ['y', 'dx', 'dc'] as const) {
              // Sums of up to T·m products in float32: tolerance relative to the largest reference value.
              expect(withinTolerance(r[key], tokens * count, 1e-5), `${where} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
            }
            for (const key of ['yConsumers', 'dxConsumers'] as const) {
              // One more sum (over V, d_in or T) on top of the mix's.
              const n = tokens * count * Math.max(tokens, inDim, outSize);
              expect(withinTolerance(r[key], n, 1e-5), `${where} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
            }
            expect(r.leakedTensors, `${where}: tensors leaked`).toBe(0);
          },
        ),
        propertyOptions(backend === 'webgl' ? 16 : 10, backend === 'webgl' ? 0x5eed0011 : 0x5eed0012),
      );
    }, 180_000);

    it('odd token count and odd widths in both webgl layouts: values and padding lanes (T=3, 5→7, n=9)', async () => {
      for (const webglMixLayout of ['packed', 'gather'] as const) {
        const r = await ref.session.call('sparseMixParity', { backend, tokens: 3, inDim: 5, outSize: 7, count: 9, termsPerCoefficient: 2, seed: 3, webglMixLayout });
        for (const key of ['y', 'dx', 'dc', 'yConsumers', 'dxConsumers'] as const) {
          expect(withinTolerance(r[key], 3 * 9 * 7, 1e-5), `${webglMixLayout} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
        }
      }
    }, 60_000);

    it('∂/∂c over several token chunks with an odd token count and an odd chunk count (T = 67, 3 chunks of 32; T = 64, 2 chunks)', async () => {
      for (const tokens of [67, 64]) {
        const r = await ref.session.call('sparseMixParity', { backend, tokens, inDim: 9, outSize: 11, count: 13, termsPerCoefficient: 2, seed: tokens });
        for (const key of ['y', 'dx', 'dc'] as const) {
          expect(withinTolerance(r[key], tokens * 13, 1e-5), `T=${tokens} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
        }
      }
    }, 60_000);

    it('handles a layer-sized position set (768→3072, n = 1000, true-2D grouping, 64 tokens)', async () => {
      const r = await ref.session.call('sparseMixParity', { backend, tokens: 64, inDim: 768, outSize: 3072, count: 1000, termsPerCoefficient: 4, seed: 7 });
      for (const key of ['y', 'dx', 'dc'] as const) {
        expect(withinTolerance(r[key], 64 * 1000, 1e-5), `${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
      }
    }, 120_000);

    it('composed stock-op route: ∂/∂c of the true-2D replay (31×13, n = 94, one token) equals cpu', async () => {
      const r = await ref.session.call('composedMixParity', { backend, tokens: 1, rows: 31, cols: 13, count: 94, variant: 'true', path: 'factored', seed: 0 });
      for (const key of ['y', 'dx', 'dc'] as const) {
        expect(withinTolerance(r[key], 31 * 13, 2e-5), `${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
      }
    }, 120_000);
  });
}
