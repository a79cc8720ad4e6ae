/**
 * The experiments' three targets, evaluated from the numbers (never asserted): each check says
 * whether it holds and by how much.
 */
import type { MethodResult, TaskResult } from '../results-types';

export interface TargetCheck {
  target: string;
  task: string;
  holds: boolean;
  detail: string;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const pp = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)} pp`;

function find(task: TaskResult, id: string): MethodResult | undefined {
  return task.methods.find((m) => m.id === id);
}

/** SSH variants of the main grid of a task (energyRatio > 0 ones are the "energy" ones). */
export function sshMethods(task: TaskResult): MethodResult[] {
  return task.methods.filter((m) => m.family === 'ssh' && m.group === 'main');
}

/** Every target check of one task, one line per SSH variant (no variant is singled out after seeing test numbers). */
export function checkTargets(task: TaskResult): TargetCheck[] {
  const out: TargetCheck[] = [];
  const ssh = sshMethods(task);
  const fourier = task.methods.find((m) => m.family === 'fourierft' && ssh[0] !== undefined && m.adapterParameters === ssh.find((s) => s.id.startsWith('ssh-per-layer'))?.adapterParameters);
  const lora1 = find(task, 'lora-r1');
  const head = find(task, 'head');
  const full = find(task, 'full');
  for (const s of ssh) {
    if (fourier !== undefined) {
      const d = s.testMean - fourier.testMean;
      out.push({ target: `SSH ≥ FourierFT at the same n`, task: task.id, holds: d >= 0, detail: `${s.label}: ${pct(s.testMean)} vs ${fourier.label} ${pct(fourier.testMean)} (${pp(d)})` });
    }
    if (lora1 !== undefined) {
      const ratio = s.adapterParameters / lora1.adapterParameters;
      const d = s.testMean - lora1.testMean;
      out.push({
        target: 'SSH ≥ LoRA r=1 with ≤ 1/10 of its parameters',
        task: task.id,
        holds: d >= 0 && ratio <= 0.1,
        detail: `${s.label}: ${pct(s.testMean)} with ${s.adapterParameters} params vs LoRA r=1 ${pct(lora1.testMean)} with ${lora1.adapterParameters} (ratio 1/${(1 / ratio).toFixed(1)}, ${pp(d)})`,
      });
    }
    if (head !== undefined && full !== undefined) {
      const gain = full.testMean - head.testMean;
      const recovered = gain > 0 ? (s.testMean - head.testMean) / gain : Number.NaN;
      out.push({
        target: 'SSH recovers ≥ 90 % of full FT\'s gain over head only',
        task: task.id,
        holds: gain > 0 && recovered >= 0.9,
        detail:
          gain > 0
            ? `${s.label}: ${(100 * recovered).toFixed(0)} % of the ${pp(gain)} gain (head ${pct(head.testMean)}, full ${pct(full.testMean)}, SSH ${pct(s.testMean)})`
            : `full FT does not beat head only here (head ${pct(head.testMean)}, full ${pct(full.testMean)}): no gain to recover`,
      });
    }
  }
  for (const strategy of ['per-layer', 'global']) {
    const random = ssh.find((m) => m.id === `ssh-${strategy}-e0`);
    const energy = ssh.filter((m) => m.id.startsWith(`ssh-${strategy}-`) && m.id !== `ssh-${strategy}-e0`);
    if (random === undefined || energy.length === 0) continue;
    const meanEnergy = energy.reduce((a, m) => a + m.testMean, 0) / energy.length;
    out.push({
      target: 'energy selection (δ > 0) beats random positions (δ = 0)',
      task: task.id,
      holds: meanEnergy > random.testMean,
      detail: `${strategy}: mean of δ ∈ {0.5, 1} ${pct(meanEnergy)} vs δ = 0 ${pct(random.testMean)} (${pp(meanEnergy - random.testMean)})`,
    });
  }
  return out;
}
