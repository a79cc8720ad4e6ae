/**
 * Replaces one marked section of docs/benchmarks/tfjs.md (between `<!-- name:start -->` and
 * `<!-- name:end -->`) and leaves the others — cpu, host, browser — as they are. The file is
 * replaced atomically: temp file in the same directory, fsync, rename.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** docs/benchmarks/tfjs.md of this repository. */
export const TFJS_BENCH_DOC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/benchmarks/tfjs.md');

/** Returns `doc` with section `name` replaced by `body` (appended when its markers are absent). */
export function replaceSection(doc: string, name: string, body: string): string {
  const startMarker = `<!-- ${name}:start -->`;
  const endMarker = `<!-- ${name}:end -->`;
  const section = `${startMarker}\n${body.trim()}\n${endMarker}`;
  const start = doc.indexOf(startMarker);
  const end = doc.indexOf(endMarker);
  if (start >= 0 && end > start) return doc.slice(0, start) + section + doc.slice(end + endMarker.length);
  if (start >= 0 || end >= 0) {
    throw new Error(`docs/benchmarks/tfjs.md: unbalanced ${name} markers (start at ${start}, end at ${end}); fix the file by hand`);
  }
  const base = doc.length === 0 ? '# @ssh-peft/tfjs benchmarks\n' : doc;
  return `${base.replace(/\n*$/, '\n')}\n${section}\n`;
}

function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${process.pid}.${Date.now()}.tmp-bench`);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Reads the document (empty when it does not exist yet), swaps section `name`, writes it back; returns the path. */
export function updateDocSection(name: string, body: string, path = TFJS_BENCH_DOC): string {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '';
  writeFileAtomic(path, replaceSection(doc, name, body));
  return path;
}
