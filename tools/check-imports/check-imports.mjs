#!/usr/bin/env node
// Checks every workspace package's imports against two rules and exits 1 on any violation:
//   1. a bare import names a package the importing package declares: `dependencies` or
//      `peerDependencies` for src/, also `devDependencies` (and the root's) for tests,
//      benchmarks, examples and config files; Node built-ins are always allowed, except in
//      the browser-safe entries below;
//   2. an import of a sibling @ssh-peft package follows the package graph (ALLOWED_IMPORTS),
//      whose arrows point one way: hartley ← selection ← adapter ← {tfjs, onnx} ← {tfjs-onnx, cli}.
// Relative imports must stay inside their package (config files may also reach tools/).
// Run: node tools/check-imports/check-imports.mjs   (tests: tools/check-imports/test)
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Which sibling packages each package may import (by directory name under packages/). A package
 * not listed is a consumer at the end of the graph: it may import every package, and no listed
 * package may import it.
 */
export const ALLOWED_IMPORTS = {
  hartley: [],
  selection: ['hartley'],
  adapter: ['hartley', 'selection'],
  tfjs: ['hartley', 'selection', 'adapter'],
  onnx: ['hartley', 'selection', 'adapter'],
  'tfjs-onnx': ['hartley', 'selection', 'adapter', 'tfjs', 'onnx'],
  cli: ['hartley', 'selection', 'adapter', 'tfjs', 'onnx', 'tfjs-onnx'],
};

/** Entries that must load in a browser: no Node built-in may be reachable from them through src/. */
export const BROWSER_SAFE_ENTRIES = {
  hartley: ['src/index.ts'],
  selection: ['src/index.ts'],
  adapter: ['src/index.ts'],
};

// Files under src/ that run only when a package runs from its TypeScript sources (tests, benchmarks)
// and are never part of its build: they may import development dependencies such as tsx.
export const SOURCE_ONLY_FILES = new Set(['packages/selection/src/worker-boot-source.mjs']);
const SCOPE = '@ssh-peft/';
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'coverage', '.nx']);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The module specifiers a file imports: static, type-only, re-exports, `import()`, `require()`. */
export function importsOf(text) {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((f) => f.fileName);
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (SKIPPED_DIRECTORIES.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE_EXTENSIONS.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => join(base, `index${e}`))];
  if (/\.js$/.test(base)) candidates.push(base.replace(/\.js$/, '.ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function isInside(path, dir) {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[a-zA-Z]:/.test(r));
}

/**
 * All violations in the workspace at `root`, as `{ file, specifier, rule, message }` (file relative
 * to root); an empty array when every import is allowed.
 */
export function checkImports(root) {
  const rootManifest = readJson(join(root, 'package.json'));
  const rootDev = new Set(Object.keys(rootManifest.devDependencies ?? {}));
  const packagesDir = join(root, 'packages');
  const dirs = readdirSync(packagesDir).filter((d) => existsSync(join(packagesDir, d, 'package.json')));
  const dirByName = new Map(dirs.map((d) => [readJson(join(packagesDir, d, 'package.json')).name, d]));
  const violations = [];
  for (const dir of dirs) {
    const pkgRoot = join(packagesDir, dir);
    const manifest = readJson(join(pkgRoot, 'package.json'));
    const runtime = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const development = new Set([...runtime, ...Object.keys(manifest.devDependencies ?? {}), ...rootDev]);
    const allowedSiblings = ALLOWED_IMPORTS[dir];
    const browserFiles = browserReachable(pkgRoot, BROWSER_SAFE_ENTRIES[dir] ?? []);
    for (const file of sourceFiles(pkgRoot)) {
      const inSrc = isInside(file, join(pkgRoot, 'src'));
      const rel = relative(root, file);
      const report = (specifier, rule, message) => violations.push({ file: rel, specifier, rule, message: `${rel}: ${message}` });
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          const inTools = !inSrc && isInside(target, join(root, 'tools'));
          if (!isInside(target, pkgRoot) && !inTools) report(specifier, 'outside-package', `imports ${JSON.stringify(specifier)}, outside its package: import the package by name`);
          continue;
        }
        if (BUILTINS.has(specifier) || BUILTINS.has(packageNameOf(specifier))) {
          if (browserFiles.has(file)) report(specifier, 'browser-safe', `imports the Node built-in ${JSON.stringify(specifier)} into a browser-safe entry of ${manifest.name}`);
          continue;
        }
        const name = packageNameOf(specifier);
        if (name === manifest.name) {
          // Tests and examples use the public name on purpose; src/ would import its own build.
          if (inSrc) report(specifier, 'self-import', `imports its own package ${JSON.stringify(specifier)}: use a relative import`);
          continue;
        }
        const declared = inSrc && !SOURCE_ONLY_FILES.has(rel.split(sep).join('/')) ? runtime : development;
        if (!declared.has(name)) {
          const where = inSrc ? 'dependencies or peerDependencies' : 'dependencies, peerDependencies or devDependencies';
          report(specifier, 'undeclared', `imports ${JSON.stringify(name)}, which ${manifest.name}'s package.json does not list in ${where}`);
        }
        if (name.startsWith(SCOPE) && allowedSiblings !== undefined) {
          const target = dirByName.get(name);
          if (target === undefined) report(specifier, 'unknown-package', `imports ${JSON.stringify(name)}, which is no workspace package`);
          else if (!allowedSiblings.includes(target)) {
            report(specifier, 'against-graph', `imports ${JSON.stringify(name)}, against the package graph (${dir} may import: ${allowedSiblings.join(', ') || 'no sibling package'})`);
          }
        }
      }
    }
  }
  return violations;
}

/** Files of `pkgRoot/src` reachable from `entries` through relative imports. */
function browserReachable(pkgRoot, entries) {
  const seen = new Set();
  const stack = entries.map((e) => join(pkgRoot, e)).filter((e) => existsSync(e));
  while (stack.length > 0) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target !== null && isInside(target, join(pkgRoot, 'src'))) stack.push(target);
    }
  }
  return seen;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const violations = checkImports(root);
  for (const v of violations) console.log(v.message);
  console.log(violations.length === 0 ? 'imports: every package follows its dependencies and the package graph' : `imports: ${violations.length} violation(s)`);
  process.exit(violations.length === 0 ? 0 : 1);
}
