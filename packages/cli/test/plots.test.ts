import { describe, expect, it } from 'vitest';
import { accuracySpec, energyMapSpec, lossCurvesSpec } from '../src/report/plots';
import { renderVegaLiteSvg } from '../src/report/render-svg';
import { spectralEnergy } from '../src/report/spectral-energy';
import { referenceDht2d } from '@ssh-peft/hartley';

describe('report plots', () => {
  it('render to SVG with their titles and data', async () => {
    const loss = await renderVegaLiteSvg(lossCurvesSpec([{ stage: 'pretraining', step: 1, loss: 2 }, { stage: 'pretraining', step: 2, loss: 1 }, { stage: 'SSH', step: 1, loss: 1.5 }]));
    expect(loss.startsWith('<svg')).toBe(true);
    expect(loss).toContain('Training loss');
    const acc = await renderVegaLiteSvg(accuracySpec([{ label: 'base', accuracy: 0.1, trainableParams: 0 }, { label: 'SSH', accuracy: 0.5, trainableParams: 900 }]));
    expect(acc).toContain('50.0');
  }, 30_000);

  it('the energy map circles exactly the chosen positions and validates its input', async () => {
    const rows = 4;
    const cols = 6;
    const weights = Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(i));
    const energy = spectralEnergy(weights, rows, cols);
    const reference = referenceDht2d(Float64Array.from(weights), rows, cols, 'separable');
    for (let i = 0; i < energy.length; i++) expect(energy[i]).toBeCloseTo(reference[i] ** 2, 8);
    const spec = energyMapSpec({ layer: 'block0_q', rows, cols, energy, chosen: [0, 7, 23] }) as unknown as { layer: Array<{ data: { values: Array<{ u: number; v: number }> } }> };
    expect(spec.layer[1].data.values).toEqual([{ u: 0, v: 0 }, { u: 1, v: 1 }, { u: 3, v: 5 }]);
    expect(spec.layer[0].data.values).toHaveLength(rows * cols);
    const svg = await renderVegaLiteSvg(spec as never);
    expect(svg).toContain('block0_q');
    expect(() => energyMapSpec({ layer: 'x', rows, cols, energy, chosen: [24] })).toThrow(/chosen position 24 is outside \[0, 24\)/);
    expect(() => energyMapSpec({ layer: 'x', rows, cols: 5, energy, chosen: [] })).toThrow(/energy has 24 values, expected 4×5/);
  }, 30_000);
});
