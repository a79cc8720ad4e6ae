import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { CliInputError } from '../errors';

/**
 * Checks that an input file exists, is a regular file and may be read, without reading it:
 * "missing", "a directory" and "unreadable" become one clear error before any work.
 */
export function checkInputFile(path: string, what: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, code === 'ENOENT' ? `${what} not found` : `cannot access ${what} (${code ?? String(error)})`);
  }
  if (!isFile) throw new CliInputError(path, `${what} is not a regular file`);
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, `cannot read ${what} (${code ?? String(error)})`);
  }
}

/** Reads a whole input file after {@link checkInputFile}. */
export function readInputFile(path: string, what: string): Buffer {
  checkInputFile(path, what);
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, `cannot read ${what} (${code ?? String(error)})`);
  }
}
