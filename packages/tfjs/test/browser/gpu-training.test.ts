/**
 * Whole-model SSH training on the GPU backends in headless Chromium: a model of Dense
 * blocks with adapters on three layers (applySSH), the head trainable, a few
 * trainOnBatch steps. The backend must survive (no lost WebGPU device, no page error),
 * the loss must go down, no tensor may leak per step, and the coefficients after the
 * first step must equal those of the same step on cpu.
 */
import { describe, expect, it } from 'vitest';
import type { GpuBackendName } from './harness/harness-api';
import { useBrowserSession } from './harness/test-setup';

const ref = useBrowserSession();

for (const backend of ['webgl', 'webgpu'] as GpuBackendName[]) {
  describe(`SSH training of a Dense-block model on ${backend}`, () => {
    for (const variant of ['separable', 'true'] as const) {
      it(`${variant}: trains, loss goes down, first step equals cpu`, async () => {
        const r = await ref.session.call('trainModel', { backend, steps: 4, variant, seed: 3 });
        expect(r.backendAfter).toBe(backend);
        expect(r.adaptedLayers).toEqual(['block0_up', 'block0_down', 'block1_up']);
        expect(r.losses.every(Number.isFinite), `losses ${r.losses}`).toBe(true);
        expect(r.losses[r.losses.length - 1], `losses ${r.losses}`).toBeLessThan(r.losses[0]);
        expect(Math.abs(r.losses[0] - r.cpuFirstLoss), `first loss ${r.losses[0]} vs cpu ${r.cpuFirstLoss}`).toBeLessThan(1e-4 * Math.max(1, r.cpuFirstLoss));
        const d = r.coefficientsAfterFirstStep;
        expect(d.maxAbsRef, 'the first step moved the coefficients').toBeGreaterThan(0);
        expect(d.maxAbsDiff, `coefficients after one step: max |gpu−cpu| ${d.maxAbsDiff} vs max |cpu| ${d.maxAbsRef}`).toBeLessThanOrEqual(1e-3 * d.maxAbsRef);
        expect(r.tensorsGainedPerStep).toBe(0);
      }, 180_000);
    }
  });
}
