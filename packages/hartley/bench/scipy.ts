import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type ScipyCase = { kind: '1d'; n: number; dtype: 'float32' | 'float64' } | { kind: '2d'; rows: number; cols: number; dtype: 'float32' | 'float64' };

export interface ScipyResult {
  available: boolean;
  note: string;
  times: (number | null)[];
}

/**
 * Times scipy.fft (pocketfft, workers=1) on the same cases in a python3 subprocess
 * (bench/scipy_dht.py). Missing python3/scipy → unavailable with the reason as note.
 */
export function timeScipy(cases: ScipyCase[], budgetSeconds: number): ScipyResult {
  const script = fileURLToPath(new URL('./scipy_dht.py', import.meta.url));
  const proc = spawnSync('python3', [script, String(budgetSeconds)], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (proc.error) return { available: false, note: `python3 not runnable (${proc.error.message}): scipy column skipped`, times: cases.map(() => null) };
  if (proc.status !== 0) {
    const reason = proc.stderr.trim().split('\n').pop() ?? `exit ${proc.status}`;
    return { available: false, note: `scipy not usable (${reason}): scipy column skipped`, times: cases.map(() => null) };
  }
  const parsed = JSON.parse(proc.stdout) as { scipy: string; numpy: string; results: (number | null)[] };
  return { available: true, note: `scipy ${parsed.scipy} / numpy ${parsed.numpy}, scipy.fft.rfft with workers=1, DHT = Re − Im`, times: parsed.results };
}
