import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { checkImports, importsOf, packageNameOf } from '../check-imports.mjs';

interface Violation {
  file: string;
  specifier: string;
  rule: string;
  message: string;
}

const check = checkImports as (root: string) => Violation[];
const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let fixture: string | null = null;
afterEach(() => {
  if (fixture !== null) rmSync(fixture, { recursive: true, force: true });
  fixture = null;
});

/** A workspace whose packages are given as `dir → { manifest, files }`. */
function workspace(packages: Record<string, { deps?: string[]; dev?: string[]; peer?: string[]; files: Record<string, string> }>): string {
  fixture = mkdtempSync(join(tmpdir(), 'check-imports-'));
  writeFileSync(join(fixture, 'package.json'), JSON.stringify({ name: 'root', devDependencies: { vitest: '4' } }));
  const versions = (names: string[] = []) => Object.fromEntries(names.map((n) => [n, '0.1.0']));
  for (const [dir, { deps, dev, peer, files }] of Object.entries(packages)) {
    const manifest = { name: `@ssh-peft/${dir}`, dependencies: versions(deps), devDependencies: versions(dev), peerDependencies: versions(peer) };
    mkdirSync(join(fixture, 'packages', dir), { recursive: true });
    writeFileSync(join(fixture, 'packages', dir, 'package.json'), JSON.stringify(manifest));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, 'packages', dir, path)), { recursive: true });
      writeFileSync(join(fixture, 'packages', dir, path), text);
    }
  }
  return fixture;
}

const rules = (violations: Violation[]) => violations.map((v) => `${v.file} ${v.rule} ${v.specifier}`);

describe('check-imports', () => {
  it('the repository follows its declared dependencies and the package graph', () => {
    expect(check(repository).map((v) => v.message)).toEqual([]);
  });

  it('reports an import against the arrows even when package.json declares it', () => {
    const root = workspace({
      hartley: { deps: ['@ssh-peft/selection'], files: { 'src/index.ts': "import { selectSpectrum } from '@ssh-peft/selection';\n" } },
      selection: { deps: ['@ssh-peft/hartley'], files: { 'src/index.ts': "export { dht } from '@ssh-peft/hartley';\n" } },
    });
    expect(rules(check(root))).toEqual(['packages/hartley/src/index.ts against-graph @ssh-peft/selection']);
  });

  it('src needs dependencies or peerDependencies (type-only imports too); tests may use devDependencies', () => {
    const root = workspace({
      onnx: {
        dev: ['@tensorflow/tfjs-layers'],
        files: {
          'src/index.ts': "import type * as tfl from '@tensorflow/tfjs-layers';\nexport type M = tfl.LayersModel;\n",
          'test/a.test.ts': "import * as tfl from '@tensorflow/tfjs-layers';\nimport { it } from 'vitest';\nimport { readFileSync } from 'node:fs';\n",
        },
      },
    });
    expect(rules(check(root))).toEqual(['packages/onnx/src/index.ts undeclared @tensorflow/tfjs-layers']);
  });

  it('counts re-exports, dynamic imports and require, and ignores imports written in comments', () => {
    const root = workspace({
      hartley: {
        files: {
          'src/index.ts': [
            "/** @example\n * import { x } from 'in-a-doc-comment';\n */",
            "// import 'in-a-line-comment';",
            "export * from 'reexported';",
            "const lazy = () => import('dynamic');",
            "const required = require('required');",
          ].join('\n'),
        },
      },
    });
    expect(rules(check(root)).sort()).toEqual(['dynamic', 'reexported', 'required'].map((n) => `packages/hartley/src/index.ts undeclared ${n}`));
  });

  it('relative imports stay inside their package; src never imports its own package by name', () => {
    const root = workspace({
      tfjs: { files: { 'src/index.ts': "import { a } from '../../onnx/src/index';\nimport { b } from '@ssh-peft/tfjs';\n", 'vitest.config.ts': "import { c } from '../../tools/vitest.shared';\n", 'test/t.test.ts': "import { b } from '@ssh-peft/tfjs';\n" } },
    });
    expect(rules(check(root)).sort()).toEqual(['packages/tfjs/src/index.ts outside-package ../../onnx/src/index', 'packages/tfjs/src/index.ts self-import @ssh-peft/tfjs']);
  });

  it('browser-safe entries reach no Node built-in; a Node-only entry may', () => {
    const root = workspace({
      adapter: {
        files: {
          'src/index.ts': "export * from './codec';\n",
          'src/codec.ts': "import { createHash } from 'node:crypto';\n",
          'src/node.ts': "import { readFile } from 'node:fs/promises';\nexport * from './index';\n",
        },
      },
    });
    expect(rules(check(root))).toEqual(['packages/adapter/src/codec.ts browser-safe node:crypto']);
  });

  it('a package outside the graph may import every package, and no package in the graph may import it', () => {
    const root = workspace({
      web: { deps: ['@ssh-peft/cli', '@ssh-peft/hartley'], files: { 'src/index.ts': "import '@ssh-peft/cli';\nimport '@ssh-peft/hartley';\n" } },
      hartley: { deps: ['@ssh-peft/web'], files: { 'src/index.ts': "import '@ssh-peft/web';\n" } },
      cli: { files: { 'src/index.ts': '' } },
    });
    expect(rules(check(root))).toEqual(['packages/hartley/src/index.ts against-graph @ssh-peft/web']);
  });

  it('names packages by scope and name', () => {
    expect([packageNameOf('@ssh-peft/adapter/node'), packageNameOf('onnx-proto'), packageNameOf('vega-lite/build/x')]).toEqual(['@ssh-peft/adapter', 'onnx-proto', 'vega-lite']);
    expect(importsOf("import type { A } from 'a';\nexport { b } from 'b';")).toEqual(['a', 'b']);
  });
});
