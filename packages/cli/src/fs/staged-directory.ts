/**
 * A directory output built in a hidden temporary sibling and renamed into place only when
 * complete, so an interrupted run leaves no partial report behind.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { syncDirectory, temporaryPath, writeFileAtomic } from '@ssh-peft/adapter/node';
import { CliOutputExistsError } from '../errors';

/** A hidden, unique sibling name of `path` (same directory, so renames never cross file systems). */
function temporarySibling(path: string, tag: string): string {
  return temporaryPath(dirname(path), basename(path), tag);
}

/**
 * Stages files for `target`; `commit()` publishes them all at once, `discard()` removes them.
 *
 * @example
 * ```ts
 * const out = StagedDirectory.create('report', { force: false });
 * await out.writeFile('report.json', '{}');
 * await out.commit(); // report/ appears complete, or not at all
 * ```
 */
export class StagedDirectory {
  readonly target: string;
  readonly stagingPath: string;
  private readonly force: boolean;
  private state: 'open' | 'committed' | 'discarded' = 'open';

  private constructor(target: string, force: boolean) {
    this.target = resolve(target);
    this.force = force;
    this.stagingPath = temporarySibling(this.target, 'partial');
    mkdirSync(dirname(this.target), { recursive: true });
    mkdirSync(this.stagingPath);
  }

  /** Starts staging; fails at once when `target` exists and `force` is off. */
  static create(target: string, { force }: { force: boolean }): StagedDirectory {
    if (existsSync(target) && !force) throw new CliOutputExistsError(target);
    return new StagedDirectory(target, force);
  }

  /** Path of a file inside the staging directory (for libraries that write by path). */
  pathOf(name: string): string {
    return join(this.stagingPath, name);
  }

  /** Writes one file of the directory (with the project's atomic writer). */
  async writeFile(name: string, data: string | Uint8Array): Promise<string> {
    if (this.state !== 'open') throw new Error(`staged directory ${this.target} is already ${this.state}`);
    return writeFileAtomic(this.pathOf(name), data);
  }

  /** Publishes the directory: an existing target (allowed by force) is moved aside, then removed. */
  async commit(): Promise<string> {
    if (this.state !== 'open') throw new Error(`staged directory ${this.target} is already ${this.state}`);
    await syncDirectory(this.stagingPath);
    if (existsSync(this.target)) {
      if (!this.force) throw new CliOutputExistsError(this.target);
      const old = temporarySibling(this.target, 'old');
      renameSync(this.target, old);
      renameSync(this.stagingPath, this.target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(this.stagingPath, this.target);
    }
    await syncDirectory(dirname(this.target));
    this.state = 'committed';
    return this.target;
  }

  /** Removes everything staged; safe to call more than once and after commit (then a no-op). */
  discard(): void {
    if (this.state !== 'open') return;
    rmSync(this.stagingPath, { recursive: true, force: true });
    this.state = 'discarded';
  }
}
