/** `report.md`: the demo's numbers for people, with the plots inline. */
import type { DemoReport } from '../pipeline/demo-report';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const int = (x: number) => x.toLocaleString('en-US');

/**
 * Renders the report as Markdown (plots referenced by relative path).
 *
 * @example
 * ```ts
 * writeFileSync('report.md', demoMarkdown(report));
 * ```
 */
export function demoMarkdown(r: DemoReport): string {
  const head = r.baselines.headOnly;
  const lines = [
    `# ssh-peft demo report`,
    '',
    `Seed ${r.seed}${r.quick ? ' (quick mode: small subset, few steps — numbers are only a smoke check)' : ''}; ` +
      `${r.seconds.toFixed(1)} s wall clock on Node ${r.tool.node}; ssh-peft ${r.tool.version}.`,
    '',
    '## Result',
    '',
    '| | held-out accuracy | trainable parameters |',
    '|---|---:|---:|',
    `| base model, source task (upright digits) | ${pct(r.pretraining.sourceAccuracy)} | ${int(r.totalParams)} (pretraining) |`,
    `| base model, target task (${r.task.name}) — before | ${pct(r.baseAccuracy)} | 0 |`,
    ...(head ? [`| head only trained on the target task (baseline) | ${pct(head.accuracy)} | ${int(head.trainableParams)} |`] : []),
    `| **SSH-adapted (tfjs), target task** | **${pct(r.adaptedAccuracy)}** | **${int(r.trainableParams)}** |`,
    `| merged into the ONNX base, onnxruntime-node | ${pct(r.onnxAccuracy)} | — |`,
    '',
    `SSH trains ${int(r.trainableParams)} of ${int(r.totalParams)} parameters (${r.adaptation.trainablePercent.toFixed(2)} %); ` +
      `LoRA of rank 1 on the same ${r.selection.layers.length} layers would train ${int(r.adaptation.loraRank1Params)}. ` +
      `The classifier head stays frozen during SSH adaptation.`,
    '',
    `ONNX parity: max |ONNX − tfjs| over all ${int(r.data.testImages)}×10 output probabilities = ${r.maxAbsDiff.toExponential(2)}; ` +
      `the two agree on ${pct(r.onnx.argmaxAgreement)} of predicted classes. ` +
      `The exported base (no adapter) scores ${pct(r.onnx.baseOnnxAccuracy)} in onnxruntime-node.`,
    '',
    '![accuracy](accuracy.svg)',
    '',
    '![loss curves](loss-curves.svg)',
    '',
    '## Task',
    '',
    `Source task: MNIST digits as they are. Target task: **${r.task.name}** — ${r.task.description}. ${r.task.rationale}`,
    '',
    `Data: ${r.data.source} (${r.data.licence}), ${int(r.data.images)} images, split with seed ${r.seed} into disjoint sets: ` +
      `${int(r.data.pretrainImages)} for pretraining, ${int(r.data.adaptImages)} for adaptation, ${int(r.data.testImages)} held out for every accuracy above.`,
    '',
    '## Model and pretraining',
    '',
    `${r.model.architecture}: width ${r.model.dim}, ${r.model.depth} blocks, ${r.model.heads} heads, MLP ${r.model.mlpDim}; ${int(r.model.totalParams)} parameters.`,
    `Pretrained for ${r.pretraining.steps} Adam steps (batch ${r.pretraining.batchSize}, learning rate ${r.pretraining.learningRate}) on the ${r.tool.backendPretrain} backend; ` +
      `kept fixed during pretraining: ${r.pretraining.frozen.join(', ') || 'nothing'}. ` +
      (r.pretraining.cached ? `Loaded from the cache (key ${r.pretraining.cacheKey}).` : `Trained in ${r.pretraining.seconds.toFixed(1)} s and cached (key ${r.pretraining.cacheKey}).`),
    '',
    '## Selection: global energy ranking',
    '',
    `Budget ${int(r.selection.budget)} positions over all attention and MLP Dense kernels (\`${r.selection.targets}\`), ranked by ${r.selection.score} ` +
      `across layers; energy ratio ${r.selection.energyRatio} (the rest seeded-random).`,
    '',
    '| layer | shape | positions | by energy | energy captured |',
    '|---|---|---:|---:|---:|',
    ...r.selection.layers.map((l) => `| ${l.name} | ${l.rows}×${l.cols} | ${l.positions} | ${l.energyChosen} | ${pct(l.capturedEnergy)} |`),
    '',
    `![spectral energy of ${r.selection.energyMapLayer}](energy-map.svg)`,
    '',
    '## Adaptation',
    '',
    `${r.adaptation.steps} Adam steps (batch ${r.adaptation.batchSize}, learning rate ${r.adaptation.learningRate}), α = ${r.adaptation.alpha}, ` +
      `coefficients initialised to ${r.adaptation.init} (the adapted model starts exactly at the base model), on the ${r.tool.backendAdapt} backend; ${r.adaptation.seconds.toFixed(1)} s.`,
    ...(head
      ? ['', `Head-only baseline: the same steps and data, training only the ${int(head.trainableParams)} parameters of the classifier head (learning rate ${head.learningRate}).`]
      : []),
    '',
    '## Timings (s)',
    '',
    '| stage | seconds |',
    '|---|---:|',
    ...Object.entries(r.timings).map(([k, v]) => `| ${k} | ${v.toFixed(1)} |`),
    '',
    '## Files',
    '',
    ...r.files.map((f) => `- \`${f}\``),
    '',
  ];
  return lines.join('\n');
}
