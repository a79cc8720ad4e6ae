/** Replaces one marked section of docs/benchmarks/tfjs.md atomically, leaving the others intact. */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Writes `section` between `<!-- name:start -->` and `<!-- name:end -->` (appended if absent); returns the file. */
export function updateDocSection(name: string, section: string): string {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/benchmarks/tfjs.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${section}\n${end}`;
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# @ssh-peft/tfjs benchmarks\n\n';
  if (doc.includes(start) && doc.includes(end)) doc = doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length);
  else doc = `${doc.trimEnd()}\n\n${block}\n`;
  writeAtomic(path, doc);
  return path;
}
