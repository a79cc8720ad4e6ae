/**
 * Progress display on stderr (stdout stays clean for `--json`). Uses cli-progress; when
 * stderr is not a terminal, or in `--json`/`--quiet` mode, the bars are replaced by nothing
 * (a log would otherwise fill with redraws).
 */
import cliProgress from 'cli-progress';

/** A running task's progress: `tick` after each step with the values to show. */
export interface ProgressTask {
  tick(payload?: { loss?: number; accuracy?: number }): void;
  stop(): void;
}

/** Starts progress tasks and prints stage lines. */
export interface ProgressReporter {
  start(label: string, total: number): ProgressTask;
  /** One informational line (a stage finished, a number worth seeing). */
  note(message: string): void;
}

/** A reporter that shows nothing (`--json`, tests). */
export const silentProgress: ProgressReporter = {
  start: () => ({ tick() {}, stop() {} }),
  note() {},
};

function formatValue(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/**
 * A reporter drawing one cli-progress bar per task, e.g.
 * `pretrain  [██████░░░░] 60% 120/200 | loss 0.412 | eta 31s`.
 *
 * @example
 * ```ts
 * const progress = terminalProgress(process.stderr);
 * const task = progress.start('pretrain', 200);
 * for (let i = 0; i < 200; i++) task.tick({ loss: 0.5 });
 * task.stop();
 * ```
 */
export function terminalProgress(stream: NodeJS.WriteStream): ProgressReporter {
  const interactive = Boolean(stream.isTTY);
  return {
    start(label, total) {
      if (!interactive) {
        // One line at the end is enough when nobody watches the bar move.
        let last: { loss?: number } = {};
        const unit = total === 1 ? 'step' : 'steps';
        let done = 0;
        return {
          tick(payload) {
            done++;
            if (payload) last = payload;
          },
          stop() {
            const loss = last.loss === undefined ? '' : `, last loss ${formatValue(last.loss, 4)}`;
            stream.write(`${label}: ${done}/${total} ${unit}${loss}\n`);
          },
        };
      }
      const bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(9)} [{bar}] {percentage}% {value}/{total} | loss {loss} | eta {eta_formatted}`,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { loss: '-' });
      return {
        tick(payload) {
          bar.increment(1, { loss: formatValue(payload?.loss, 4) });
        },
        stop() {
          bar.stop();
        },
      };
    },
    note(message) {
      stream.write(`${message}\n`);
    },
  };
}
