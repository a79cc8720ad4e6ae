/**
 * Replaces the browser section of docs/benchmarks/tfjs.md (between the browser
 * markers) and leaves everything else — in particular the cpu section — as it is.
 * The file is replaced atomically: temp file in the same directory, fsync, rename.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';

export const BROWSER_START = '<!-- browser:start -->';
export const BROWSER_END = '<!-- browser:end -->';

/** Returns `doc` with the browser section replaced by `body` (appended when the markers are absent). */
export function replaceBrowserSection(doc: string, body: string): string {
  const section = `${BROWSER_START}\n${body.trim()}\n${BROWSER_END}`;
  const start = doc.indexOf(BROWSER_START);
  const end = doc.indexOf(BROWSER_END);
  if (start >= 0 && end > start) return doc.slice(0, start) + section + doc.slice(end + BROWSER_END.length);
  if (start >= 0 || end >= 0) {
    throw new Error(`docs/benchmarks/tfjs.md: unbalanced browser markers (start at ${start}, end at ${end}); fix the file by hand`);
  }
  const base = doc.length === 0 ? '# @ssh-peft/tfjs benchmarks\n' : doc;
  return `${base.replace(/\n*$/, '\n')}\n${section}\n`;
}

/** Writes `text` to `path` atomically. */
export function writeFileAtomic(path: string, text: string): void {
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

/** Reads the document (empty when it does not exist yet), swaps the section, writes it back. */
export function updateBrowserSection(path: string, body: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '';
  writeFileAtomic(path, replaceBrowserSection(doc, body));
}
