/**
 * The webgl and webgpu kernels of the DHT op, run in headless Chromium (SwiftShader)
 * and compared with the cpu backend in the same page: random shapes, odd and prime
 * lengths, several batch layouts, input textures/buffers as real graphs produce them,
 * the gradient through the op, and sshLinear's forward and backward on both routes.
 * Without Chromium these tests fail (never skip) with the command that installs it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openBrowserSession, type BrowserSession } from './harness/browser-session';
import type { Diff, GpuBackendName, InitReport } from './harness/harness-api';

let session: BrowserSession;
let init: InitReport;

beforeAll(async () => {
  session = await openBrowserSession();
  init = await session.call('init');
}, 120_000);

afterAll(async () => {
  await session?.close();
});

afterEach(() => {
  // Drain so one failure is reported once; a dropped WebGPU dispatch only shows up here.
  const errors = session ? session.pageErrors.splice(0) : [];
  expect(errors, `the page reported GPU/JS errors:\n${errors.join('\n')}`).toEqual([]);
});

/** float32 transforms: error grows with the output magnitude and the number of passes. */
function withinTolerance(d: Diff, n: number, factor = 4e-6): boolean {
  return d.maxAbsDiff <= factor * Math.max(d.maxAbsRef, 1e-3) * Math.max(1, Math.log2(n));
}

describe('browser environment', () => {
  it('provides WebGL2 with float32 render targets and a real WebGPU adapter', () => {
    expect(init.webglVersion, 'WebGL2 is required by the webgl kernel').toBe(2);
    expect(init.webglFloat32Render, 'float32 colour buffers are required').toBe(true);
    expect(init.webgpuAdapter, `navigator.gpu.requestAdapter() returned null (adapter: ${init.webgpuAdapterInfo}); check the --enable-unsafe-webgpu flags`).toBe(true);
    expect(init.backends).toEqual({ cpu: true, webgl: true, webgpu: true });
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
            const r = await session.call('dhtParity', { backend, shape: [...lead, n], scale, seed, layout });
            expect(r.kernelBackend).toBe(backend);
            expect(r.sameShape).toBe(true);
            expect(withinTolerance(r, n), `n=${n} lead=[${lead}] scale=${scale} layout=${layout}: max |gpu−cpu| ${r.maxAbsDiff} vs max |cpu| ${r.maxAbsRef}`).toBe(true);
            expect(r.leakedTensors).toBe(0);
            expect(r.leakedDataIds).toBe(0);
          },
        ),
        { numRuns: 24 },
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
        const r = await session.call('dhtParity', { backend, shape: [rows, n], scale: 1, seed: n + rows, layout: 'upload' });
        expect(withinTolerance(r, n), `[${rows}, ${n}]: max |gpu−cpu| ${r.maxAbsDiff} vs max |cpu| ${r.maxAbsRef}`).toBe(true);
      }
    }, 120_000);

    it('gradient through the op equals the cpu gradient', async () => {
      await fc.assert(
        fc.asyncProperty(lengths, leadingDims, fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (n, lead, seed) => {
          const r = await session.call('dhtGradParity', { backend, shape: [...lead, n], scale: 0.75, seed });
          expect(withinTolerance(r, n), `grad n=${n} lead=[${lead}]: ${r.maxAbsDiff} vs ${r.maxAbsRef}`).toBe(true);
        }),
        { numRuns: 12 },
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
            const r = await session.call('sshLinearParity', { backend, tokens, rows, cols, count, variant, path, seed });
            const where = `tokens=${tokens} ${rows}×${cols} n=${count} ${variant} ${path}`;
            for (const key of ['y', 'dx', 'dc'] as const) {
              expect(withinTolerance(r[key], rows * cols, 2e-5), `${where} ${key}: ${r[key].maxAbsDiff} vs ${r[key].maxAbsRef}`).toBe(true);
            }
            expect(r.leakedTensors, `${where}: tensors leaked`).toBe(0);
          },
        ),
        { numRuns: 4 },
      );
    }, 120_000);

    it('runs the documented example of @ssh-peft/tfjs/gpu', async () => {
      expect(await session.call('docExample', backend)).toEqual({ values: [10, -4, -2, 0], backend });
    });

    it('the kernel itself rejects a non-float32 input with a typed error naming the dtype', async () => {
      const message = await session.call('kernelRejectsInt32', backend);
      expect(message).toMatch(/^SshDtypeError: .*float32, got int32/);
    });
  });
}
