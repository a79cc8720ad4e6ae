/** Human and JSON summaries of a selection plan. */
import type { SelectionPlan } from '@ssh-peft/selection';
import { formatTable } from './table';

/** Summary of `plan`: options, per-layer positions and captured energy, totals. */
export function planSummary(plan: SelectionPlan): { json: Record<string, unknown>; text: string } {
  const layers = plan.layers.map((l) => ({
    name: l.name,
    rows: l.rows,
    cols: l.cols,
    positions: l.indices.length,
    energyChosen: l.energyChosen,
    capturedEnergy: l.capturedEnergy,
    fingerprint: l.fingerprint,
  }));
  const positions = layers.reduce((s, l) => s + l.positions, 0);
  const weights = layers.reduce((s, l) => s + l.rows * l.cols, 0);
  const o = plan.options;
  const text = [
    `selection plan: strategy ${o.strategy}${o.budget !== undefined ? `, budget ${o.budget}` : ''}${o.perLayer !== undefined ? `, ${o.perLayer} per layer` : ''}, ` +
      `energy ratio ${o.energyRatio}, seed ${o.seed}, ${o.variant} DHT (${o.normalization})${o.score ? `, score ${o.score}` : ''}`,
    formatTable(
      ['layer', 'shape', 'positions', 'by energy', 'energy captured'],
      layers.map((l) => [l.name, `${l.rows}×${l.cols}`, String(l.positions), String(l.energyChosen), `${(100 * l.capturedEnergy).toFixed(1)} %`]),
      ['left', 'left', 'right', 'right', 'right'],
    ),
    `${positions.toLocaleString('en-US')} positions in ${layers.length} layer(s) of ${weights.toLocaleString('en-US')} weights (${((100 * positions) / Math.max(1, weights)).toFixed(3)} %)`,
  ].join('\n');
  return { json: { kind: 'plan', options: plan.options, layers, positions, weights }, text };
}
