import { beforeAll, describe, expect, it } from 'vitest';
import { SELECTION_OPTION_KEYS, SelectionOptionError } from '@ssh-peft/selection';
import { applySSH, buildTinyViT, SshOptionError, SshTfjsError, type ApplySshOptions } from '../src/index';
import { nearestOptionKey } from '../src/apply-ssh';
import { useCpu } from './helpers';

beforeAll(useCpu);

const vit = () => buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 24, numClasses: 4, seed: 3 });

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('applySSH option checks', () => {
  it('a misspelt option is an SshOptionError naming the key and the nearest valid one (alhpa: 1 no longer trains with α = 300)', async () => {
    const e = await rejection(applySSH(vit(), { targets: ['block0_q'], perLayer: 4, alhpa: 1 } as unknown as ApplySshOptions));
    expect(e).toBeInstanceOf(SshOptionError);
    expect(e.message).toBe('applySSH: unknown option "alhpa" (did you mean "alpha"?)');
    for (const [typo, meant] of [['perlayer', 'perLayer'], ['energy_ratio', 'energyRatio'], ['trainables', 'trainable'], ['normalisation', 'normalization'], ['target', 'targets']]) {
      expect(nearestOptionKey(typo!)).toBe(meant);
    }
  });

  it('path and the other enumerations are checked before any work, not at the first predict', async () => {
    const e = await rejection(applySSH(vit(), { targets: ['block0_q'], perLayer: 4, path: 'fast' as never }));
    expect(e).toBeInstanceOf(SshOptionError);
    expect(e.message).toBe("applySSH: path must be 'auto', 'factored', 'dense', got \"fast\"");
    await expect(applySSH(vit(), { targets: ['block0_q'], perLayer: 4, energyRatio: 2 })).rejects.toThrow(/energyRatio must be a number in \[0, 1\], got 2/);
    await expect(applySSH(vit(), { targets: ['block0_q'], perLayer: 4, checkFinite: 'yes' as never })).rejects.toThrow(/checkFinite must be a boolean/);
    await expect(applySSH(vit(), { targets: ['block0_q'], perLayer: 4, metadata: { a: 1 } as never })).rejects.toThrow(/metadata\["a"\] must be a string/);
    await expect(applySSH(vit(), { targets: ['block0_q'], perLayer: 4, variant: 'diagonal' as never })).rejects.toThrow(SshOptionError);
  });

  it('an error of the selection package is wrapped: an SshTfjsError with the original as cause', async () => {
    const e = await rejection(applySSH(vit(), { targets: ['block0_q', 'block0_k'], strategy: 'global', budget: 20, minPerLayer: 30, maxPerLayer: 5 }));
    expect(e).toBeInstanceOf(SshTfjsError);
    expect(e).toBeInstanceOf(SshOptionError);
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(SelectionOptionError);
    expect(e.message).toMatch(/^applySSH: /);
  });

  it("every option of the selection is applySSH's too, with no list of them here: the default score by name, energyThreshold, workers", async () => {
    const global = await applySSH(vit(), { targets: ['block0_q', 'block0_k'], budget: 20, score: 'mean-relative-energy', maxPerLayer: 15, workers: 1 });
    expect(global.exportAdapter().config.selection).toMatchObject({ strategy: 'global', budget: 20, score: 'mean-relative-energy', maxPerLayer: 15 });
    const reference = await applySSH(vit(), { targets: ['block0_q'], perLayer: 6, energyRatio: 1, energyThreshold: 0.5 });
    expect(reference.exportAdapter().config.selection).toMatchObject({ strategy: 'per-layer', perLayer: 6, energyThreshold: 0.5 });
    const progress: Array<[number, number | undefined]> = [];
    await applySSH(vit(), { targets: ['block0_q', 'block0_k'], perLayer: 3, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[1, 2], [2, 2]]);
    for (const key of SELECTION_OPTION_KEYS) {
      // Keys of the selection are never "unknown": a wrong value is refused by the selection's own check instead.
      const outcome = await applySSH(vit(), { targets: ['block0_q'], perLayer: 4, [key]: Symbol('bad') } as unknown as ApplySshOptions).then(() => null, (x: Error) => x);
      expect(outcome?.message ?? '').not.toMatch(/unknown option/);
    }
  });

  it('selection options are checked before the targets are resolved or any kernel is read', async () => {
    const e = await rejection(applySSH(vit(), { targets: ['no_such_layer'], perLayer: 4, energyRatio: 2 }));
    expect(e).toBeInstanceOf(SshOptionError);
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(SelectionOptionError);
    expect(e.message).toBe('applySSH: energyRatio must be a number in [0, 1], got 2');
  });
});
