import * as fs from 'node:fs';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AdapterOutputKindError } from '@ssh-peft/adapter';
import { checkOutputPathSync } from '@ssh-peft/adapter/node';
import { CliInputError, CliOutputExistsError, CliOutputKindError } from '../errors';

/**
 * Refuses to overwrite an existing output unless `force`, refuses an output that is not a
 * regular file (or a symlink to one) even with `force` — a directory, FIFO, socket or device —
 * and checks the parent directory exists; all before any work starts, so a long run never fails
 * at its very end.
 */
export function assertOutputWritable(path: string, force: boolean): string {
  const absolute = resolve(path);
  try {
    checkOutputPathSync(absolute, fs);
  } catch (e) {
    if (e instanceof AdapterOutputKindError) throw new CliOutputKindError(path, e.kind);
    throw e;
  }
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
