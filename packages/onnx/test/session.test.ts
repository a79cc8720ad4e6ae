import { describe, expect, it } from 'vitest';
import { chooseExecutionProvider, createSession, CUDA_INSTALL_COMMAND, ExecutionProviderUnavailableError, isCudaAvailable, OnnxOptionError } from '../src/index';
import { linearModel } from './helpers';

describe('execution provider selection', () => {
  it('auto picks CUDA when the probe says so, else CPU with one notice', () => {
    expect(chooseExecutionProvider({ cudaProbe: () => true })).toBe('cuda');
    const notices: string[] = [];
    expect(chooseExecutionProvider({ cudaProbe: () => false, notice: (m) => notices.push(m) })).toBe('cpu');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(CUDA_INSTALL_COMMAND);
    expect(notices[0]!.includes('\n')).toBe(false);
  });

  it("device 'cpu' never probes", () => {
    expect(chooseExecutionProvider({ device: 'cpu', cudaProbe: () => { throw new Error('probed'); } })).toBe('cpu');
  });

  it("require: 'cuda' without CUDA fails quoting the install command", () => {
    expect(() => chooseExecutionProvider({ require: 'cuda', cudaProbe: () => false })).toThrow(ExecutionProviderUnavailableError);
    expect(() => chooseExecutionProvider({ device: 'cuda', cudaProbe: () => false })).toThrow('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node');
    expect(chooseExecutionProvider({ require: 'cuda', cudaProbe: () => true })).toBe('cuda');
  });

  it('rejects unknown options', () => {
    expect(() => chooseExecutionProvider({ device: 'tpu' as 'cpu' })).toThrow(OnnxOptionError);
  });

  it('this machine has no CUDA binaries: the real probe says so and createSession falls back to CPU', async () => {
    expect(isCudaAvailable()).toBe(false);
    const notices: string[] = [];
    const { session, executionProvider } = await createSession(linearModel({ rows: 2, cols: 2, op: 'matmul' }).bytes, { notice: (m) => notices.push(m) });
    expect(executionProvider).toBe('cpu');
    expect(session.inputNames).toEqual(['x']);
    expect(notices).toHaveLength(1);
    await session.release();
    await expect(createSession(linearModel({ rows: 2, cols: 2, op: 'matmul' }).bytes, { require: 'cuda' })).rejects.toThrow(/--onnxruntime-node-install=cuda12/);
  });
});
