import { describe, expect, it } from 'vitest';
import { chooseExecutionProvider, createSession, cudaAvailableFrom, CUDA_INSTALL_COMMAND, OnnxExecutionProviderError, isCudaAvailable, OnnxOptionError } from '../src/index';
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
    expect(() => chooseExecutionProvider({ require: 'cuda', cudaProbe: () => false })).toThrow(OnnxExecutionProviderError);
    expect(() => chooseExecutionProvider({ device: 'cuda', cudaProbe: () => false })).toThrow('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node');
    expect(chooseExecutionProvider({ require: 'cuda', cudaProbe: () => true })).toBe('cuda');
  });

  it('rejects unknown options', () => {
    expect(() => chooseExecutionProvider({ device: 'tpu' as 'cpu' })).toThrow(OnnxOptionError);
  });

  it('isCudaAvailable decides from the backend list and the provider library, whatever this machine has', () => {
    const dir = '/ort/bin/napi-v6/linux/x64';
    const probe = (backends: Array<{ name: string; bundled: boolean }>, files: string[], bindingDirectory = () => dir) =>
      cudaAvailableFrom({ backends, bindingDirectory, exists: (p) => files.includes(p) });
    const cpu = { name: 'cpu', bundled: true };
    expect(probe([cpu], [`${dir}/libonnxruntime_providers_cuda.so`])).toBe(false);
    expect(probe([cpu, { name: 'cuda', bundled: true }], [])).toBe(true);
    expect(probe([cpu, { name: 'cuda', bundled: false }], [])).toBe(false);
    expect(probe([cpu, { name: 'cuda', bundled: false }], [`${dir}/libonnxruntime_providers_cuda.so`])).toBe(true);
    expect(probe([cpu, { name: 'cuda', bundled: false }], [`${dir}/onnxruntime_providers_cuda.dll`])).toBe(true);
    expect(probe([cpu, { name: 'cuda', bundled: false }], ['/elsewhere/libonnxruntime_providers_cuda.so'])).toBe(false);
    expect(probe([{ name: 'cuda', bundled: false }], [], () => { throw new Error('not installed'); })).toBe(false);
    expect(typeof isCudaAvailable()).toBe('boolean');
  });

  it('createSession falls back to CPU with one notice when the probe finds no CUDA, and refuses when CUDA is required', async () => {
    const notices: string[] = [];
    const noCuda = () => false;
    const { session, executionProvider } = await createSession(linearModel({ rows: 2, cols: 2, op: 'matmul' }).bytes, { cudaProbe: noCuda, notice: (m) => notices.push(m) });
    expect(executionProvider).toBe('cpu');
    expect(session.inputNames).toEqual(['x']);
    expect(notices).toHaveLength(1);
    await session.release();
    await expect(createSession(linearModel({ rows: 2, cols: 2, op: 'matmul' }).bytes, { require: 'cuda', cudaProbe: noCuda })).rejects.toThrow(/--onnxruntime-node-install=cuda12/);
  });
});
