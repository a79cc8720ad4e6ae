import { AdapterFormatError } from './errors';
import { ADAPTER_FORMAT, ADAPTER_FORMAT_VERSION, type JsonValue, type SshAdapter } from './types';

/** File names of the PEFT directory layout. */
export const PEFT_CONFIG_FILE = 'adapter_config.json';
export const PEFT_WEIGHTS_FILE = 'adapter_model.safetensors';

/**
 * The `adapter_config.json` written next to `adapter_model.safetensors`. It describes the adapter
 * the way PEFT users expect (`peft_type`, `target_modules`, per-module patterns); the safetensors
 * file stays self-contained and authoritative, and {@link checkPeftConfig} refuses a config that
 * disagrees with it (so an edited `alpha_pattern` is never silently ignored).
 *
 * @example
 * ```ts
 * import { buildPeftConfig } from '@ssh-peft/adapter';
 * JSON.stringify(buildPeftConfig(adapter), null, 2);
 * ```
 */
export function buildPeftConfig(adapter: SshAdapter): Record<string, JsonValue> {
  const { config } = adapter;
  return {
    peft_type: 'SSH',
    format: ADAPTER_FORMAT,
    format_version: ADAPTER_FORMAT_VERSION,
    target_modules: adapter.layers.map((l) => l.name),
    variant: config.variant,
    normalization: config.normalization,
    init_weights: config.init,
    init_std: config.initStd,
    seed: config.seed,
    selection: config.selection as JsonValue,
    alpha_pattern: Object.fromEntries(adapter.layers.map((l) => [l.name, l.alpha])),
    n_frequency_pattern: Object.fromEntries(adapter.layers.map((l) => [l.name, l.indices.length])),
    shape_pattern: Object.fromEntries(adapter.layers.map((l) => [l.name, [l.rows, l.cols]])),
    fingerprint_pattern: Object.fromEntries(adapter.layers.map((l) => [l.name, l.fingerprint])),
    metadata: config.metadata as JsonValue,
  };
}

/**
 * Parses an `adapter_config.json` text and checks that every key {@link buildPeftConfig} writes
 * agrees with the adapter decoded from `adapter_model.safetensors`; extra keys (e.g.
 * `base_model_name_or_path`) are allowed. Throws {@link AdapterFormatError} naming the file and key.
 *
 * @example
 * ```ts
 * import { checkPeftConfig } from '@ssh-peft/adapter';
 * checkPeftConfig(readFileSync('dir/adapter_config.json', 'utf8'), adapter, 'dir/adapter_config.json');
 * ```
 */
export function checkPeftConfig(text: string, adapter: SshAdapter, file: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AdapterFormatError(`not valid JSON (${(e as Error).message})`, { file });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AdapterFormatError('not a JSON object', { file });
  const actual = parsed as Record<string, unknown>;
  if (actual.peft_type !== 'SSH') throw new AdapterFormatError(`peft_type is ${JSON.stringify(actual.peft_type)}, expected "SSH"`, { file, key: 'peft_type' });
  if (actual.format_version !== 1 && actual.format_version !== 2) {
    throw new AdapterFormatError(
      `unknown format version ${JSON.stringify(actual.format_version)} (this reader supports versions 1 and 2)`,
      { file, key: 'format_version' },
    );
  }
  if (actual.format_version !== adapter.version) {
    throw new AdapterFormatError(
      `${actual.format_version} disagrees with ${PEFT_WEIGHTS_FILE}, which is format version ${adapter.version} (the safetensors file is authoritative; regenerate the config)`,
      { file, key: 'format_version' },
    );
  }
  const expected = buildPeftConfig(adapter);
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'format_version') continue; // checked above against the weights file's own version
    if (!Object.prototype.hasOwnProperty.call(actual, key)) throw new AdapterFormatError('missing', { file, key });
    let same: boolean;
    try {
      same = canonical(actual[key]) === canonical(value);
    } catch (e) {
      // JSON.stringify recurses: a value nested hundreds of thousands deep overflows the stack.
      if (e instanceof RangeError) throw new AdapterFormatError('value is nested too deeply', { file, key });
      throw e;
    }
    if (!same) {
      throw new AdapterFormatError(
        `${truncate(canonical(actual[key]))} disagrees with ${PEFT_WEIGHTS_FILE}, which holds ${truncate(canonical(value))} (the safetensors file is authoritative; regenerate the config)`,
        { file, key },
      );
    }
  }
}

/** JSON with object keys sorted, so that key order does not matter in comparisons. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  ) ?? 'undefined';
}

function truncate(s: string): string {
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}
