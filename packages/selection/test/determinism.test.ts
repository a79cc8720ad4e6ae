import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/print-plan.ts', import.meta.url));
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

function planFromNewProcess(seed: number): string {
  return execFileSync(process.execPath, ['--conditions=@ssh-peft/source', '--import', tsxLoader, fixture, String(seed)], { encoding: 'utf8', timeout: 60_000 });
}

describe('determinism across processes', () => {
  it('two separate Node processes print byte-identical plans; another seed prints a different one', () => {
    const first = planFromNewProcess(5);
    const second = planFromNewProcess(5);
    expect(first.split('\n')).toHaveLength(3);
    expect(first.length).toBeGreaterThan(1000);
    expect(second).toBe(first);
    expect(planFromNewProcess(6)).not.toBe(first);
  });
});
