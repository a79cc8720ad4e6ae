/**
 * The demo's plots as Vega-Lite specifications (pure data → spec; rendering is separate).
 */
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One point of a loss curve. */
export interface LossPoint {
  stage: string;
  step: number;
  loss: number;
}

/** Training loss per step, one line per stage, on a log scale (losses span decades). */
export function lossCurvesSpec(points: readonly LossPoint[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: 'Training loss',
    width: 520,
    height: 260,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'loss', type: 'quantitative', title: 'cross-entropy loss', scale: { type: 'log' } },
      color: { field: 'stage', type: 'nominal', title: null, legend: { orient: 'top' } },
    },
  };
}

/** One accuracy bar. */
export interface AccuracyBar {
  label: string;
  accuracy: number;
  trainableParams: number;
}

/** Held-out accuracy of each model/task pair, with its trainable-parameter count in the label. */
export function accuracySpec(bars: readonly AccuracyBar[]): TopLevelSpec {
  const values = bars.map((b, order) => ({ ...b, order, percent: Math.round(b.accuracy * 1000) / 10 }));
  return {
    $schema: SCHEMA,
    title: 'Held-out accuracy',
    width: 420,
    data: { values },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'order' }, title: null, axis: { labelLimit: 360 } },
      x: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] }, axis: { format: '%' } },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'percent', type: 'quantitative', format: '.1f' } } },
    ],
  };
}

/** Input of {@link energyMapSpec}: one weight's spectral energy and the positions chosen in it. */
export interface EnergyMapInput {
  layer: string;
  rows: number;
  cols: number;
  /** DHT2 energy H0², row-major `[rows, cols]`. */
  energy: ArrayLike<number>;
  /** Flat positions `u·cols + v` chosen for this layer. */
  chosen: ArrayLike<number>;
}

/**
 * Heat map of log10 energy of one weight's Hartley spectrum, chosen positions circled.
 * Energy is floored at 1e-12 of its maximum so exact zeros stay on the log scale.
 */
export function energyMapSpec(input: EnergyMapInput): TopLevelSpec {
  const { rows, cols, energy, chosen, layer } = input;
  if (energy.length !== rows * cols) throw new RangeError(`energyMapSpec: energy has ${energy.length} values, expected ${rows}×${cols} = ${rows * cols}`);
  let max = 0;
  for (let i = 0; i < energy.length; i++) max = Math.max(max, energy[i]);
  const floor = max > 0 ? max * 1e-12 : 1e-30;
  const cells = new Array(rows * cols);
  for (let u = 0; u < rows; u++) {
    for (let v = 0; v < cols; v++) {
      cells[u * cols + v] = { u, v, log10Energy: Math.log10(Math.max(energy[u * cols + v], floor)) };
    }
  }
  const marks = Array.from(chosen, (flat) => {
    if (!Number.isInteger(flat) || flat < 0 || flat >= rows * cols) throw new RangeError(`energyMapSpec: chosen position ${flat} is outside [0, ${rows * cols})`);
    return { u: Math.floor(flat / cols), v: flat % cols };
  });
  // Both layers share explicit ordinal domains, so a circle lands on its cell whatever
  // subset of rows/columns the chosen positions cover.
  const uDomain = Array.from({ length: rows }, (_, i) => i);
  const vDomain = Array.from({ length: cols }, (_, i) => i);
  const cell = Math.max(4, Math.min(12, Math.floor(560 / Math.max(rows, cols))));
  return {
    $schema: SCHEMA,
    title: { text: `Hartley energy of ${layer} [${rows}×${cols}]`, subtitle: `${marks.length} chosen positions circled` },
    width: cols * cell,
    height: rows * cell,
    layer: [
      {
        data: { values: cells },
        mark: 'rect',
        encoding: {
          x: { field: 'v', type: 'ordinal', title: 'v (output frequency)', scale: { domain: vDomain }, axis: { labels: false, ticks: false } },
          y: { field: 'u', type: 'ordinal', title: 'u (input frequency)', scale: { domain: uDomain }, axis: { labels: false, ticks: false } },
          color: { field: 'log10Energy', type: 'quantitative', title: 'log10 H²', scale: { scheme: 'viridis' } },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'point', shape: 'circle', filled: false, color: '#ff3030', strokeWidth: 1.5, size: cell * cell * 1.2 },
        encoding: { x: { field: 'v', type: 'ordinal', scale: { domain: vDomain } }, y: { field: 'u', type: 'ordinal', scale: { domain: uDomain } } },
      },
    ],
  } as TopLevelSpec;
}
