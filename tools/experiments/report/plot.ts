/** Accuracy vs trainable parameters (log x-axis) per task, Vega-Lite → SVG (headless Vega view). */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { TaskResult } from '../results-types';

/**
 * vega-lite is installed as a dependency of @ssh-peft/cli (packages/cli/node_modules), not at
 * the root: resolve it from there until the root lists it as a devDependency.
 */
async function loadVegaLite(): Promise<typeof import('vega-lite')> {
  try {
    return await import('vega-lite');
  } catch {
    const fromCli = createRequire(resolve(import.meta.dirname, '..', '..', '..', 'packages', 'cli', 'package.json'));
    return (await import(pathToFileURL(fromCli.resolve('vega-lite')).href)) as typeof import('vega-lite');
  }
}

/**
 * The Vega-Lite specification of one task's plot: accuracy vs trainable parameters (log x)
 * on top; below it every method on its own row, because the six SSH variants and FourierFT
 * at the same n share one x position and their labels would overlap.
 */
export function accuracyVsParametersSpec(task: TaskResult): TopLevelSpec {
  const values = task.methods.filter((m) => m.group === 'main').map((m) => ({
    method: m.label,
    family: m.family,
    parameters: Math.max(1, m.adapterParameters),
    accuracy: 100 * m.testMean,
    low: 100 * (m.testMean - m.testStd),
    high: 100 * (m.testMean + m.testStd),
    // One label for the SSH cluster in the scatter; the rows below name every variant.
    scatterLabel: m.family !== 'ssh' ? m.label : m.id === 'ssh-per-layer-e0' ? 'SSH (6 variants)' : '',
  }));
  const x = { field: 'parameters', type: 'quantitative' as const, scale: { type: 'log' as const }, title: 'trainable parameters besides the head (log scale; head only plotted at 1)' };
  const y = { field: 'accuracy', type: 'quantitative' as const, scale: { zero: false }, title: 'test accuracy (%)' };
  const color = { field: 'family', type: 'nominal' as const, title: 'method' };
  const scatter = {
    width: 560,
    height: 300,
    layer: [
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y, color, shape: { field: 'family', type: 'nominal' } } },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 9 }, encoding: { x, y: { field: 'accuracy', type: 'quantitative' }, text: { field: 'scatterLabel', type: 'nominal' } } },
    ],
  };
  const rowY = { field: 'method', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 260 } };
  const rowX = { field: 'accuracy', type: 'quantitative' as const, scale: { zero: false }, title: 'test accuracy (%), mean ± std' };
  const rows = {
    width: 560,
    layer: [
      { mark: { type: 'rule' }, encoding: { y: rowY, x: { field: 'low', type: 'quantitative', scale: { zero: false } }, x2: { field: 'high' }, color } },
      { mark: { type: 'point', filled: true, size: 50 }, encoding: { y: rowY, x: rowX, color } },
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: task.title, subtitle: 'test accuracy, mean ± std over seeds' },
    data: { values },
    vconcat: [scatter, rows],
  } as TopLevelSpec;
}

/**
 * Renders one task's plot to an SVG document.
 *
 * @example
 * ```ts
 * const svg = await renderAccuracyPlot(results.tasks[0]);
 * ```
 */
export async function renderAccuracyPlot(task: TaskResult): Promise<string> {
  const { compile } = await loadVegaLite();
  const view = new vega.View(vega.parse(compile(accuracyVsParametersSpec(task)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
