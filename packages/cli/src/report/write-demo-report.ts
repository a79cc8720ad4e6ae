/**
 * Writes the report's text and plot files into a staged output directory.
 */
import type { StagedDirectory } from '../fs/staged-directory';
import type { DemoReport } from '../pipeline/demo-report';
import { demoMarkdown } from './demo-markdown';
import { accuracySpec, energyMapSpec, lossCurvesSpec, type EnergyMapInput, type LossPoint } from './plots';
import { renderVegaLiteSvg } from './render-svg';

/** Names of the files the report folder holds besides the model files. */
export const REPORT_FILES = ['report.json', 'report.md', 'loss-curves.svg', 'accuracy.svg', 'energy-map.svg'] as const;

function lossPoints(report: DemoReport): LossPoint[] {
  const points: LossPoint[] = [];
  const add = (stage: string, losses: readonly number[]) => losses.forEach((loss, step) => points.push({ stage, step: step + 1, loss }));
  add('pretraining (source task)', report.losses.pretrain);
  add(`SSH adaptation (${report.task.name})`, report.losses.adapt);
  if (report.losses.headOnly.length > 0) add(`head-only baseline (${report.task.name})`, report.losses.headOnly);
  return points;
}

/**
 * Renders the plots and writes `report.json`, `report.md` and the SVGs into `out`.
 *
 * @example
 * ```ts
 * await writeDemoReport(staged, report, energyInput);
 * await staged.commit();
 * ```
 */
export async function writeDemoReport(out: StagedDirectory, report: DemoReport, energy: EnergyMapInput): Promise<void> {
  const head = report.baselines.headOnly;
  const bars = [
    { label: 'base, source task (upright)', accuracy: report.pretraining.sourceAccuracy, trainableParams: report.totalParams },
    { label: `base, target task (${report.task.name}) — before`, accuracy: report.baseAccuracy, trainableParams: 0 },
    ...(head ? [{ label: `head only, ${head.trainableParams} params`, accuracy: head.accuracy, trainableParams: head.trainableParams }] : []),
    { label: `SSH (tfjs), ${report.trainableParams} params`, accuracy: report.adaptedAccuracy, trainableParams: report.trainableParams },
    { label: 'SSH merged, ONNX Runtime', accuracy: report.onnxAccuracy, trainableParams: report.trainableParams },
  ];
  await out.writeFile('loss-curves.svg', await renderVegaLiteSvg(lossCurvesSpec(lossPoints(report))));
  await out.writeFile('accuracy.svg', await renderVegaLiteSvg(accuracySpec(bars)));
  await out.writeFile('energy-map.svg', await renderVegaLiteSvg(energyMapSpec(energy)));
  await out.writeFile('report.md', demoMarkdown(report));
  await out.writeFile('report.json', `${JSON.stringify(report, null, 2)}\n`);
}
