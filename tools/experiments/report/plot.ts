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

/** The Vega-Lite specification of one task's plot. */
export function accuracyVsParametersSpec(task: TaskResult): TopLevelSpec {
  const values = task.methods.filter((m) => m.group === 'main').map((m) => ({
    method: m.label,
    family: m.family,
    parameters: Math.max(1, m.adapterParameters),
    accuracy: 100 * m.testMean,
    low: 100 * (m.testMean - m.testStd),
    high: 100 * (m.testMean + m.testStd),
  }));
  const x = { field: 'parameters', type: 'quantitative' as const, scale: { type: 'log' as const }, title: 'trainable parameters besides the head (log scale; head only plotted at 1)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: task.title, subtitle: 'test accuracy, mean ± std over seeds' },
    width: 560,
    height: 340,
    data: { values },
    layer: [
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { field: 'family', type: 'nominal' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y: { field: 'accuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy (%)' },
          color: { field: 'family', type: 'nominal', title: 'method' },
          shape: { field: 'family', type: 'nominal' },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 9 },
        encoding: { x, y: { field: 'accuracy', type: 'quantitative' }, text: { field: 'method', type: 'nominal' } },
      },
    ],
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
