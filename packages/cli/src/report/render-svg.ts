/**
 * Vega-Lite → SVG, headless: compile to Vega, run a View with no renderer, serialise.
 * Vega estimates text widths without a canvas, which is fine for plots in a report.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite specification to an SVG document.
 *
 * @example
 * ```ts
 * const svg = await renderVegaLiteSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point',
 *   encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * ```
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  // Vega's warnings would go to the console; stderr belongs to the CLI's own messages.
  const logger = vega.logger(vega.Error);
  const compiled = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
