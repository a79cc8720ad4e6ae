/**
 * Build step before `vite build`: writes the digits the page uses, taken from the `mnist`
 * package with the CLI demo's split, to public/data (git-ignored; vite copies it into dist):
 * adapt.bin (the 2 000 adaptation digits) and test.bin (the 1 000 held-out digits), upright.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeDigitPack } from '../src/data/digit-pack';
import { DATA_DIR } from './base-model-files';
import { loadDemoSplit } from './demo-data';

const split = loadDemoSplit();
mkdirSync(DATA_DIR, { recursive: true });
for (const [name, set] of [['adapt', split.adapt], ['test', split.test]] as const) {
  const path = resolve(DATA_DIR, `${name}.bin`);
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, encodeDigitPack(set));
  renameSync(temporary, path);
  console.log(`digits: ${set.count} ${name} images → public/data/${name}.bin`);
}
