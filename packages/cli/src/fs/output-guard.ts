import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliInputError, CliOutputExistsError } from '../errors';

/**
 * Refuses to overwrite an existing output unless `force`, and checks the parent directory
 * exists — before any work starts, so a long run never fails at its very end.
 */
export function assertOutputWritable(path: string, force: boolean): string {
  const absolute = resolve(path);
  if (existsSync(absolute) && !force) throw new CliOutputExistsError(path);
  const parent = dirname(absolute);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    throw new CliInputError(parent, 'output directory does not exist');
  }
  return absolute;
}

/** The output must not be the input: `--force` would otherwise replace the user's own file. */
export function assertNotSameFile(input: string, output: string): void {
  if (resolve(input) === resolve(output)) {
    throw new CliInputError(output, 'output path is the input file; choose another output (the input is never modified)');
  }
}
