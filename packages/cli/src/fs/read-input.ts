import { readFileSync, statSync } from 'node:fs';
import { CliInputError } from '../errors';

/** Reads a whole input file, turning "missing", "a directory" and "unreadable" into one clear error. */
export function readInputFile(path: string, what: string): Buffer {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, code === 'ENOENT' ? `${what} not found` : `cannot access ${what} (${code ?? String(error)})`);
  }
  if (!isFile) throw new CliInputError(path, `${what} is not a regular file`);
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, `cannot read ${what} (${code ?? String(error)})`);
  }
}
