/**
 * The method grid and how each method is put on a copy of the base model: which
 * variables train (adapter/body vs head) and how many parameters that is.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { applySSH, baselines } from '@ssh-peft/tfjs';
import { ADAPTED_LAYERS } from './tasks';

export type MethodSpec =
  | { kind: 'head' }
  | { kind: 'full' }
  | { kind: 'lora'; rank: number }
  | { kind: 'fourierft'; n: number }
  | { kind: 'ssh'; strategy: 'per-layer' | 'global'; energyRatio: number; n: number; alpha?: number; init?: 'zeros' | 'normal' };

export interface MethodEntry {
  id: string;
  label: string;
  family: 'head' | 'full' | 'lora' | 'fourierft' | 'ssh';
  spec: MethodSpec;
  /**
   * `main`: the benchmark grid, which the target checks and the plot use. `ablation`: what we
   * tried beyond it (α, initialisation, a larger n), reported in a table of its own.
   */
  group: 'main' | 'ablation';
  /** Learning rates tried on the validation split (same count for every method). */
  learningRates: number[];
}

/** α of SSH and FourierFT: the packages' default (HF PEFT's FourierFT scaling for ViT). */
export const SPECTRAL_ALPHA = 300;

/**
 * The benchmark grid: head only, full FT, LoRA r ∈ {1,2,4,8}, FourierFT at n and 4n,
 * SSH at n (per-layer and global, energyRatio ∈ {0, 0.5, 1}). `lrs` gives each family's
 * candidate learning rates; every family gets the same number.
 */
export function methodGrid(n: number, lrs: Record<MethodEntry['family'], number[]>): MethodEntry[] {
  const main = 'main' as const;
  const out: MethodEntry[] = [
    { id: 'head', label: 'head only', family: 'head', group: main, spec: { kind: 'head' }, learningRates: lrs.head },
    { id: 'full', label: 'full fine-tuning', family: 'full', group: main, spec: { kind: 'full' }, learningRates: lrs.full },
  ];
  for (const rank of [1, 2, 4, 8]) out.push({ id: `lora-r${rank}`, label: `LoRA r=${rank}`, family: 'lora', group: main, spec: { kind: 'lora', rank }, learningRates: lrs.lora });
  for (const m of [n, 4 * n]) out.push({ id: `fourierft-n${m}`, label: `FourierFT n=${m}`, family: 'fourierft', group: main, spec: { kind: 'fourierft', n: m }, learningRates: lrs.fourierft });
  for (const strategy of ['per-layer', 'global'] as const) {
    for (const energyRatio of [0, 0.5, 1]) {
      out.push({
        id: `ssh-${strategy}-e${energyRatio}`,
        label: `SSH ${strategy} δ=${energyRatio} n=${n}`,
        family: 'ssh',
        group: main,
        spec: { kind: 'ssh', strategy, energyRatio, n },
        learningRates: lrs.ssh,
      });
    }
  }
  // What we tried beyond the grid, on one pre-chosen variant (per-layer, δ = 0.5).
  const ablation = 'ablation' as const;
  const base = { kind: 'ssh' as const, strategy: 'per-layer' as const, energyRatio: 0.5 };
  out.push(
    { id: 'ssh-per-layer-e0.5-4n', label: `SSH per-layer δ=0.5 n=${4 * n}`, family: 'ssh', group: ablation, spec: { ...base, n: 4 * n }, learningRates: lrs.ssh },
    { id: 'ssh-per-layer-e0.5-normal', label: `SSH per-layer δ=0.5 n=${n}, normal init`, family: 'ssh', group: ablation, spec: { ...base, n, init: 'normal' }, learningRates: lrs.ssh },
  );
  for (const alpha of [100, 1000]) {
    out.push({ id: `ssh-per-layer-e0.5-a${alpha}`, label: `SSH per-layer δ=0.5 n=${n}, α=${alpha}`, family: 'ssh', group: ablation, spec: { ...base, n, alpha }, learningRates: lrs.ssh });
  }
  return out;
}

export interface AppliedMethod {
  model: tfl.LayersModel;
  /** Variables trained with the method's learning rate (adapter parameters, or the body for full FT). */
  bodyVariables: tf.Variable[];
  /** Variables of the classification head (trained with the head learning rate). */
  headVariables: tf.Variable[];
  /** Trainable parameters excluding the head. */
  adapterParameters: number;
  /** All trainable parameters (adapter + head). */
  trainableParameters: number;
}

const size = (v: tf.Variable) => v.shape.reduce((a, b) => a * b, 1);

function split(model: tfl.LayersModel): AppliedMethod {
  const head = new Set(model.getLayer('head').trainableWeights.map((w) => w.read()));
  const all = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const headVariables = all.filter((v) => head.has(v));
  const bodyVariables = all.filter((v) => !head.has(v));
  const adapterParameters = bodyVariables.reduce((a, v) => a + size(v), 0);
  return { model, bodyVariables, headVariables, adapterParameters, trainableParameters: adapterParameters + headVariables.reduce((a, v) => a + size(v), 0) };
}

/**
 * Puts `spec` on `base` (a fresh copy of the pretrained model, modified in place for head/full
 * and wrapped for the adapters). `seed` drives LoRA's A, FourierFT's and SSH's random positions.
 */
export async function applyMethod(base: tfl.LayersModel, spec: MethodSpec, seed: number): Promise<AppliedMethod> {
  switch (spec.kind) {
    case 'head':
      for (const l of base.layers) l.trainable = l.name === 'head';
      return split(base);
    case 'full':
      for (const l of base.layers) l.trainable = true;
      return split(base);
    case 'lora':
      return split(baselines.applyLoRA(base, { targets: ADAPTED_LAYERS, rank: spec.rank, seed, trainable: ['head'] }).model);
    case 'fourierft':
      return split(baselines.applyFourierFT(base, { targets: ADAPTED_LAYERS, n: spec.n, alpha: SPECTRAL_ALPHA, seed, trainable: ['head'] }).model);
    case 'ssh': {
      const layers = base.layers.filter((l) => ADAPTED_LAYERS.test(l.name)).length;
      const handle = await applySSH(base, {
        targets: ADAPTED_LAYERS,
        strategy: spec.strategy,
        ...(spec.strategy === 'per-layer' ? { perLayer: spec.n } : { budget: spec.n * layers }),
        energyRatio: spec.energyRatio,
        alpha: spec.alpha ?? SPECTRAL_ALPHA,
        init: spec.init ?? 'zeros',
        seed,
        trainable: ['head'],
      });
      return split(handle.model);
    }
  }
}
