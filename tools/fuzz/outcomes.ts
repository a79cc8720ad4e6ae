/**
 * Outcome bookkeeping of the fuzzers: every case ends in exactly one class, counted by name.
 * Three classes are violations — an untyped error (a crash the user would see as a stack trace),
 * a hang, and a silent change (damaged input accepted as different valid content).
 */

/** How one fuzz case ended. */
export type Outcome =
  | { kind: 'accepted' } // valid input or harmless damage, processed
  | { kind: 'unchanged' } // damaged bytes that still mean exactly the original (e.g. header padding)
  | { kind: 'rejected'; errorClass: string } // a typed error of the project
  | { kind: 'untyped'; errorClass: string; message: string }
  | { kind: 'hang'; milliseconds: number }
  | { kind: 'silent-change' };

/** Counts per outcome label, plus the first few violations for the report. */
export interface FuzzReport {
  target: string;
  cases: number;
  seed: number;
  seconds: number;
  /** e.g. `{ "rejected AdapterIntegrityError": 14000, "accepted": 3, "unchanged": 20 }` */
  counts: Record<string, number>;
  violations: number;
  examples: string[];
}

const VIOLATIONS = new Set(['untyped', 'hang', 'silent-change']);

/** The label an outcome is counted under. */
export function labelOf(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'rejected':
      return `rejected ${outcome.errorClass}`;
    case 'untyped':
      return `UNTYPED ${outcome.errorClass}`;
    case 'hang':
      return 'HANG';
    case 'silent-change':
      return 'SILENT CHANGE';
    default:
      return outcome.kind;
  }
}

/** Accumulates outcomes of one target. */
export class OutcomeCounter {
  private readonly counts = new Map<string, number>();
  private violationCount = 0;
  private readonly examples: string[] = [];
  private readonly started = performance.now();
  private cases = 0;

  constructor(
    readonly target: string,
    readonly seed: number,
  ) {}

  add(outcome: Outcome, caseId: string): void {
    this.cases++;
    const label = labelOf(outcome);
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    if (VIOLATIONS.has(outcome.kind)) {
      this.violationCount++;
      if (this.examples.length < 5) {
        const detail = outcome.kind === 'untyped' ? `: ${outcome.message}` : outcome.kind === 'hang' ? ` (${outcome.milliseconds.toFixed(0)} ms)` : '';
        this.examples.push(`${caseId}: ${label}${detail}`);
      }
    }
  }

  report(): FuzzReport {
    const counts = Object.fromEntries([...this.counts].sort(([, a], [, b]) => b - a));
    return { target: this.target, cases: this.cases, seed: this.seed, seconds: (performance.now() - this.started) / 1000, counts, violations: this.violationCount, examples: this.examples };
  }
}

/** Text of a report: one line per outcome class. */
export function formatReport(r: FuzzReport): string {
  const lines = [`${r.target}: ${r.cases} cases, seed ${r.seed}, ${r.seconds.toFixed(1)} s, ${r.violations} violations`];
  for (const [label, n] of Object.entries(r.counts)) lines.push(`  ${String(n).padStart(8)}  ${label}`);
  for (const e of r.examples) lines.push(`  violation ${e}`);
  return lines.join('\n');
}

/** Name of a thrown value's class (for counting). */
export function errorClassOf(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? e.name : e.constructor?.name ?? 'Error';
  return typeof e;
}
