import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeAdapter, mergeAdapterFile } from '../src/index';
import { linearModel, randomAdapter } from './helpers';

describe('merge cancellation (AbortSignal)', () => {
  it('an already aborted signal writes nothing and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssh-onnx-cancel-'));
    const { bytes, w0 } = linearModel({ rows: 8, cols: 6, op: 'matmul' });
    writeFileSync(join(dir, 'in.onnx'), bytes);
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(mergeAdapterFile(join(dir, 'in.onnx'), randomAdapter('dense', 8, 6, w0), join(dir, 'out.onnx'), { signal: controller.signal })).rejects.toThrow(
      'stop now',
    );
    expect(readdirSync(dir)).toEqual(['in.onnx']);
  });

  it('a signal aborted while the merge runs stops it at its next step, and the model is not changed', async () => {
    const rows = 256;
    const cols = 256;
    const { bytes } = linearModel({ rows, cols, op: 'matmul' });
    const original = bytes.slice();
    const adapter = {
      ...randomAdapter('dense', 4, 4, new Float32Array(16)),
    };
    const layer = { ...adapter.layers[0]!, rows, cols, indices: Uint32Array.from({ length: 50 }, (_, k) => k * 1301), coefficients: new Float32Array(50).fill(0.5) };
    const big = { ...adapter, layers: [layer] };
    const controller = new AbortController();
    // Runs at the first moment the merge lets the event loop in, i.e. between two of its steps.
    setImmediate(() => controller.abort(new Error('interrupted mid-merge')));
    await expect(mergeAdapter(bytes, big, { signal: controller.signal, verify: 'shape' })).rejects.toThrow('interrupted mid-merge');
    expect(bytes).toEqual(original);
    // Without a signal the same merge completes.
    expect((await mergeAdapter(bytes, big, { verify: 'shape' })).length).toBeGreaterThan(rows * cols * 4);
  });
});
