import { runCli } from '../src/program';

/** Runs the CLI in-process, capturing stdout and stderr. */
export async function cli(argv: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    cwd,
  });
  return { code, stdout, stderr };
}
