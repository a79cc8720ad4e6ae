import { describe, expect, it } from 'vitest';
import type { MethodResult, TaskResult } from '../results-types';
import { checkTargets, sshMethods } from '../report/targets';
import { renderResultsMarkdown } from '../report/markdown';

function method(id: string, family: string, adapterParameters: number, testMean: number, group: 'main' | 'ablation' = 'main'): MethodResult {
  const run = { seed: 0, learningRate: 0.01, valAccuracy: testMean, testAccuracy: testMean, secondsPerEpoch: 1, diverged: false };
  return { id, label: id, family, group, adapterParameters, trainableParameters: adapterParameters + 10, search: [run], chosenLearningRate: 0.01, seeds: [run], testMean, testStd: 0.01, secondsPerEpochMean: 1 };
}

function task(methods: MethodResult[]): TaskResult {
  return {
    id: 'vision',
    title: 'Vision',
    description: 'd',
    facts: { images: 10 },
    base: { sourceValAccuracy: 0.9, targetTestAccuracyBeforeAdaptation: 0.3, pretrainSeconds: 1, parameters: 1000 },
    headLearningRate: 0.01,
    methods,
    wallSeconds: 60,
  };
}

const grid = [
  method('head', 'head', 0, 0.5),
  method('full', 'full', 1000, 0.7),
  method('lora-r1', 'lora', 100, 0.6),
  method('fourierft-n3', 'fourierft', 9, 0.55),
  method('ssh-per-layer-e0', 'ssh', 9, 0.58),
  method('ssh-per-layer-e1', 'ssh', 9, 0.69),
  method('ssh-per-layer-e0.5-4n', 'ssh', 36, 0.99, 'ablation'),
];

describe('checkTargets', () => {
  const checks = checkTargets(task(grid));
  const about = (variant: string, target: RegExp) => checks.find((c) => c.detail.startsWith(`${variant}:`) && target.test(c.target));

  it('judges each main-grid SSH variant against FourierFT at the same n, LoRA r=1 and full FT', () => {
    expect(about('ssh-per-layer-e0', /FourierFT/)?.holds).toBe(true);
    expect(about('ssh-per-layer-e0', /LoRA/)?.holds).toBe(false);
    expect(about('ssh-per-layer-e1', /LoRA/)?.holds).toBe(true);
    // (0.69 − 0.5) / (0.7 − 0.5) = 95 % of full FT's gain.
    expect(about('ssh-per-layer-e1', /90 %/)?.holds).toBe(true);
    expect(about('ssh-per-layer-e1', /90 %/)?.detail).toMatch(/95 % of the \+20\.0 pp gain/);
    expect(about('ssh-per-layer-e0', /90 %/)?.holds).toBe(false);
  });

  it('fails the LoRA target when SSH has more than 1/10 of LoRA r=1 parameters, however accurate', () => {
    const c = checkTargets(task([...grid.slice(0, 4), method('ssh-per-layer-e0', 'ssh', 11, 0.9)])).find((x) => /LoRA/.test(x.target));
    expect(c?.holds).toBe(false);
    expect(c?.detail).toMatch(/ratio 1\/9\.1/);
  });

  it('compares energy selection with random positions per strategy', () => {
    const energy = checks.find((c) => /energy selection/.test(c.target));
    expect(energy?.holds).toBe(true);
    expect(energy?.detail).toMatch(/per-layer: .* 69\.0 % vs δ = 0 58\.0 % \(\+11\.0 pp\)/);
  });

  it('leaves ablation rows out of the targets and the SSH variant list', () => {
    expect(sshMethods(task(grid)).map((m) => m.id)).toEqual(['ssh-per-layer-e0', 'ssh-per-layer-e1']);
    expect(checks.some((c) => c.detail.includes('4n'))).toBe(false);
  });

  it('says there is no gain to recover when full FT does not beat head only', () => {
    const flat = checkTargets(task([method('head', 'head', 0, 0.7), method('full', 'full', 1000, 0.69), method('ssh-per-layer-e0', 'ssh', 9, 0.7)]));
    const c = flat.find((x) => /90 %/.test(x.target));
    expect(c?.holds).toBe(false);
    expect(c?.detail).toMatch(/no gain to recover/);
  });
});

describe('renderResultsMarkdown', () => {
  it('puts the main grid and the ablations in separate tables, with the notes and the command', () => {
    const md = renderResultsMarkdown(
      {
        format: 'ssh-peft-experiments',
        version: 2,
        createdAt: '2026-01-01T00:00:00.000Z',
        command: 'npx tsx run.ts',
        quick: false,
        config: { model: {}, n: 3, alpha: 300, lrGrid: {}, lrCandidates: 3, seeds: 5, jobs: 2 },
        tasks: [task(grid)],
        skippedTasks: ['text-yelp'],
        wallSeconds: 120,
        environment: { node: 'v20', tfjsBackend: 'wasm', cpus: 2, loadAverageAtStart: [0, 0, 0] },
      },
      (t) => `results/${t.id}.svg`,
      'HAND-WRITTEN NOTES',
    );
    const [main, rest] = md.split('Ablations (what we tried beyond the grid)');
    expect(main).toMatch(/\| ssh-per-layer-e1 \| 9 \| 19 \| 69\.0 ± 1\.0 \|/);
    expect(main).not.toMatch(/ssh-per-layer-e0\.5-4n \|/);
    expect(rest).toMatch(/\| ssh-per-layer-e0\.5-4n \| 36 \|/);
    expect(md).toContain('**Not run (time budget):** text-yelp.');
    expect(md).toContain('HAND-WRITTEN NOTES');
    expect(md).toContain('![accuracy vs trainable parameters, vision](results/vision.svg)');
  });
});
