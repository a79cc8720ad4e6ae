/**
 * The `ssh-peft` command line: commander wiring, global flags, output and exit codes.
 * Commands live in src/commands/, one module each; this file only parses and dispatches.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CliIo, CommandContext, CommandOutput, GlobalFlags } from './cli-context';
import { CliInterruptedError, CliUsageError, ExitCode } from './errors';
import { exitCodeFor, formatError } from './format-error';
import { installInterruptHandler } from './interrupt';
import { silentProgress, terminalProgress } from './progress';
import { TARGET_TASKS } from './data/target-task';
import { runDemoCommand } from './commands/demo';
import { runSelectCommand } from './commands/select';
import { runMergeCommand } from './commands/merge';
import { runInspectCommand } from './commands/inspect';
import { CLI_VERSION } from './version';

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got '${value}'`);
    return n;
  };
}

function ratio(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError(`must be a number in [0, 1], got '${value}'`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

type Action = (options: Record<string, unknown>, args: string[], context: CommandContext) => Promise<CommandOutput>;

/**
 * Builds the commander program. `dispatch` receives the chosen action (and its parsed
 * options) instead of running it, so that parsing stays synchronous and testable.
 */
export function buildProgram(io: CliIo, dispatch: (action: Action, options: Record<string, unknown>, args: string[]) => void): Command {
  const program = new Command('ssh-peft')
    .description('SSH — Sparse Spectrum Adaptation via the Discrete Hartley Transform: demo, select, merge, inspect')
    .version(CLI_VERSION, '-V, --version')
    .option('--json', 'print one machine-readable JSON object on stdout', false)
    .option('-v, --verbose', 'print stack traces of errors', false)
    .option('-q, --quiet', 'no progress bars or notes on stderr', false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showSuggestionAfterError(true);

  const on = (command: Command, action: Action) =>
    command.exitOverride().action((...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const options = cmd.optsWithGlobals();
      const args = (params.slice(0, -2) as Array<string | string[]>).flat();
      dispatch(action, options, args);
    });

  on(
    program
      .command('demo')
      .description('pretrain a tiny ViT on MNIST, adapt it with SSH to a shifted task, export to ONNX, write a report')
      .option('--seed <n>', 'seed of every random choice (data split, initialisation, batches, selection)', integer('--seed', 0), 7)
      .option('--quick', 'small subset and few steps (a smoke run, < 40 s)', false)
      .addOption(new Option('--task <name>', 'target task').choices([...TARGET_TASKS]).default('invert'))
      .option('--out <dir>', 'report folder', 'ssh-peft-report')
      .option('--budget <n>', 'total SSH coefficients over all attention and MLP kernels', integer('--budget', 1))
      .option('--steps <n>', 'SSH adaptation steps', integer('--steps', 1))
      .option('--cache-dir <dir>', 'base-model cache (default: node_modules/.cache/ssh-peft or ~/.cache/ssh-peft)')
      .option('--no-cache', 'ignore the base-model cache and pretrain again (the new model is stored)')
      .option('--no-head-baseline', 'skip the head-only baseline')
      .option('-f, --force', 'replace the report folder if it exists', false),
    runDemoCommand as unknown as Action,
  );

  on(
    program
      .command('select')
      .description('choose spectral positions in the weights of a model and write a selection plan')
      .requiredOption('--model <file>', 'model file: .onnx (MatMul/Gemm weights, any float dtype, external data), or .safetensors with 2-D [d_in, d_out] weights')
      .requiredOption('--out <file>', 'plan file to write (JSON)')
      .option('--budget <n>', "total positions over all layers (strategy 'global')", integer('--budget', 1))
      .option('--per-layer <n>', "positions per layer (strategy 'per-layer')", integer('--per-layer', 1))
      .addOption(new Option('--strategy <name>', 'selection strategy').choices(['global', 'per-layer']).default('global'))
      .addOption(
        new Option('--score <name>', "how positions of different layers compete (strategy 'global'; default mean-relative-energy: energy over the layer's mean energy)").choices([
          'mean-relative-energy',
          'relative-energy',
          'energy',
        ]),
      )
      .option('--energy-ratio <r>', 'share of positions chosen by energy, the rest seeded-random', ratio, 0.7)
      .option('--seed <n>', 'seed of the random share', integer('--seed', 0), 0)
      .option('--targets <regex>', 'only weights whose name matches this regular expression')
      .addOption(new Option('--layout <kind>', "'torch': PyTorch nn.Linear [d_out, d_in] weights named <layer>.weight, from a .safetensors file, an index .json or a directory of shards").choices(['in-out', 'torch']).default('in-out'))
      .option('-f, --force', 'replace the output file if it exists', false),
    runSelectCommand as unknown as Action,
  );

  on(
    program
      .command('merge')
      .description('merge an SSH adapter into an ONNX model: W = W0 + ΔW (the input model is not modified)')
      .requiredOption('--model <file>', 'base ONNX model')
      .requiredOption('--adapter <file>', 'adapter (.safetensors file or PEFT directory)')
      .requiredOption('--out <file>', 'merged ONNX model to write')
      .option('--map <layer=initializer>', 'map an adapter layer to an ONNX initializer (repeatable)', collect, [])
      .option('-f, --force', 'replace the output file if it exists', false),
    runMergeCommand as unknown as Action,
  );

  on(
    program
      .command('inspect')
      .description('summarise an adapter (.safetensors), a selection plan (.json) or a model (.onnx / .safetensors)')
      .argument('<file>', 'file to inspect'),
    runInspectCommand as unknown as Action,
  );

  return program;
}

function flagsOf(argv: readonly string[]): GlobalFlags {
  // Read before parsing so that even a usage error is reported in the requested form.
  const before = argv.indexOf('--');
  const flags = before === -1 ? argv : argv.slice(0, before);
  return { json: flags.includes('--json'), verbose: flags.includes('--verbose') || flags.includes('-v'), quiet: flags.includes('--quiet') || flags.includes('-q') };
}

/**
 * Runs the CLI on `argv` (without the node and script paths) and returns the exit code:
 * 0 ok, 1 failure, 2 usage error, 130 interrupted.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const early = flagsOf(argv);
  let chosen: { action: Action; options: Record<string, unknown>; args: string[] } | undefined;
  const program = buildProgram(io, (action, options, args) => {
    chosen = { action, options, args };
  });
  // No command: the usage, exit 2. The demo writes a report and a cache, so it runs only when asked
  // for (`ssh-peft demo`, `npm start`).
  if (!argv.some((a) => !a.startsWith('-'))) {
    const meta = new Set(['-h', '--help', '-V', '--version']);
    if (!argv.some((a) => meta.has(a))) {
      io.stderr.write(program.helpInformation());
      io.stderr.write('error: no command given (the demo is `ssh-peft demo`)\n');
      if (early.json) io.stdout.write(`${JSON.stringify({ ok: false, error: { name: 'CliUsageError', message: 'no command given', exitCode: ExitCode.usage } })}\n`);
      return ExitCode.usage;
    }
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0 through the same path.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (early.json) io.stdout.write(`${JSON.stringify({ ok: false, error: { name: 'CliUsageError', message: error.message.replace(/^error: /, ''), exitCode: ExitCode.usage } })}\n`);
      return ExitCode.usage;
    }
    return reportFailure(error, early, io);
  }
  if (!chosen) return ExitCode.ok;
  const flags: GlobalFlags = { json: Boolean(chosen.options.json), verbose: Boolean(chosen.options.verbose), quiet: Boolean(chosen.options.quiet) };
  const scope = installInterruptHandler(() => {
    if (!flags.quiet) io.stderr.write('\ninterrupt: stopping; nothing will be written (Ctrl-C again to quit at once)\n');
  });
  const progress = flags.json || flags.quiet ? silentProgress : terminalProgress(io.stderr as NodeJS.WriteStream);
  try {
    const output = await chosen.action(chosen.options, chosen.args, { io, flags, progress, signal: scope.signal, onForcedExit: scope.onForcedExit });
    if (flags.json) io.stdout.write(`${JSON.stringify(output.json)}\n`);
    else io.stdout.write(output.text.endsWith('\n') ? output.text : `${output.text}\n`);
    return ExitCode.ok;
  } catch (error) {
    // Whatever a Ctrl-C made the command throw (an AbortError from a library), it is an interruption: exit 130.
    if (scope.signal.aborted && !(error instanceof CliInterruptedError)) return reportFailure(new CliInterruptedError(argv.find((a) => !a.startsWith('-')) ?? 'the command'), flags, io);
    return reportFailure(error, flags, io);
  } finally {
    scope.dispose();
  }
}

function reportFailure(error: unknown, flags: GlobalFlags, io: CliIo): number {
  const code = exitCodeFor(error);
  io.stderr.write(`${formatError(error, flags.verbose)}\n`);
  if (flags.json) {
    const e = error instanceof Error ? error : new Error(String(error));
    io.stdout.write(`${JSON.stringify({ ok: false, error: { name: e.name, message: e.message, exitCode: code } })}\n`);
  }
  return code;
}

export { CliUsageError };
