import { PlanFormatError, SelectionError } from './errors';
import { FINGERPRINT_PREFIX } from './fingerprint';
import { resolveOptions } from './options';
import { SELECTION_PLAN_VERSION, type PlannedLayer, type ResolvedSelectionOptions, type SelectionOptions, type SelectionPlan } from './types';

/** Value of the `format` field of a serialised plan. */
export const PLAN_FORMAT = 'ssh-peft-selection-plan';

const OPTION_KEYS = ['strategy', 'perLayer', 'budget', 'energyRatio', 'seed', 'score', 'minPerLayer', 'maxPerLayer', 'energyThreshold', 'variant', 'normalization'] as const;
const LAYER_KEYS = ['name', 'rows', 'cols', 'energyChosen', 'capturedEnergy', 'fingerprint', 'indices'] as const;
const FINGERPRINT_PATTERN = new RegExp(`^${FINGERPRINT_PREFIX}:(\\d+)x(\\d+):[0-9a-f]{16}$`);

/**
 * The plan as JSON text: `{ format: 'ssh-peft-selection-plan', version: 1, options, layers }`, each
 * layer `{ name, rows, cols, energyChosen, capturedEnergy, fingerprint, indices: number[] }`. Keys in
 * a fixed order and numbers in JavaScript's shortest round-trip form, so equal plans give
 * byte-identical text and {@link parsePlan} restores the plan exactly.
 *
 * @example
 * ```ts
 * import { parsePlan, selectSpectrum, serializePlan } from '@ssh-peft/selection';
 * const text = serializePlan(plan);
 * serializePlan(parsePlan(text)) === text; // true
 * ```
 */
export function serializePlan(plan: SelectionPlan): string {
  const options: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    const value = (plan.options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) options[key] = value;
  }
  const layers = plan.layers.map((layer) => ({
    name: layer.name,
    rows: layer.rows,
    cols: layer.cols,
    energyChosen: layer.energyChosen,
    capturedEnergy: layer.capturedEnergy,
    fingerprint: layer.fingerprint,
    indices: Array.from(layer.indices),
  }));
  return JSON.stringify({ format: PLAN_FORMAT, version: plan.version, options, layers });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

function rejectUnknownKeys(record: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw new PlanFormatError(path === '' ? key : `${path}.${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

function readInteger(record: Record<string, unknown>, key: string, path: string, min: number): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new PlanFormatError(`${path}.${key}`, `is ${describe(value)}, expected an integer ≥ ${min}`);
  }
  return value;
}

function readLayer(raw: unknown, path: string): PlannedLayer {
  if (!isRecord(raw)) throw new PlanFormatError(path, `is ${describe(raw)}, expected an object`);
  rejectUnknownKeys(raw, LAYER_KEYS, path);
  const { name, fingerprint, capturedEnergy, indices: rawIndices } = raw;
  if (typeof name !== 'string' || name.length === 0) throw new PlanFormatError(`${path}.name`, `is ${describe(name)}, expected a non-empty string`);
  const rows = readInteger(raw, 'rows', path, 1);
  const cols = readInteger(raw, 'cols', path, 1);
  const positions = rows * cols;
  if (!Array.isArray(rawIndices)) throw new PlanFormatError(`${path}.indices`, `is ${describe(rawIndices)}, expected an array of flat positions`);
  const indices = new Uint32Array(rawIndices.length);
  for (let k = 0; k < rawIndices.length; k++) {
    const v = rawIndices[k] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= positions) {
      throw new PlanFormatError(`${path}.indices[${k}]`, `is ${describe(v)}, expected an integer in [0, ${positions}) for ${rows}×${cols}`);
    }
    if (k > 0 && v <= indices[k - 1]!) {
      throw new PlanFormatError(`${path}.indices[${k}]`, `${v} does not follow ${indices[k - 1]} in strictly ascending order`);
    }
    indices[k] = v;
  }
  const energyChosen = readInteger(raw, 'energyChosen', path, 0);
  if (energyChosen > indices.length) throw new PlanFormatError(`${path}.energyChosen`, `${energyChosen} exceeds the ${indices.length} indices`);
  if (typeof capturedEnergy !== 'number' || !(capturedEnergy >= 0 && capturedEnergy <= 1)) {
    throw new PlanFormatError(`${path}.capturedEnergy`, `is ${describe(capturedEnergy)}, expected a number in [0, 1]`);
  }
  const match = typeof fingerprint === 'string' ? FINGERPRINT_PATTERN.exec(fingerprint) : null;
  if (match === null) throw new PlanFormatError(`${path}.fingerprint`, `is ${describe(fingerprint)}, expected '${FINGERPRINT_PREFIX}:<rows>x<cols>:<16 hex digits>'`);
  if (Number(match[1]) !== rows || Number(match[2]) !== cols) {
    throw new PlanFormatError(`${path}.fingerprint`, `is for ${match[1]}×${match[2]}, but the layer is ${rows}×${cols}`);
  }
  return { name, rows, cols, indices, energyChosen, capturedEnergy, fingerprint: fingerprint as string };
}

/**
 * Reads a plan written by {@link serializePlan}, checking everything: format and version, options
 * (by the same rules as `selectSpectrum`), unique layer names, shapes, indices strictly ascending
 * and inside the layer, counts consistent with `perLayer`/`budget`, fingerprints matching shapes.
 *
 * @throws {PlanFormatError} naming the field (e.g. `layers[1].indices[4]`) and the bad value.
 * @example
 * ```ts
 * import { parsePlan } from '@ssh-peft/selection';
 * import { readFileSync } from 'node:fs';
 * const plan = parsePlan(readFileSync('plan.json', 'utf8'));
 * ```
 */
export function parsePlan(text: string): SelectionPlan {
  if (typeof text !== 'string') throw new PlanFormatError('', `parsePlan: expected a string, got ${describe(text)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PlanFormatError('', `not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(raw)) throw new PlanFormatError('', `expected a JSON object, got ${describe(raw)}`);
  rejectUnknownKeys(raw, ['format', 'version', 'options', 'layers'], '');
  if (raw.format !== PLAN_FORMAT) throw new PlanFormatError('format', `is ${describe(raw.format)}, expected "${PLAN_FORMAT}"`);
  if (raw.version !== SELECTION_PLAN_VERSION) throw new PlanFormatError('version', `is ${describe(raw.version)}, this library reads version ${SELECTION_PLAN_VERSION}`);
  if (!isRecord(raw.options)) throw new PlanFormatError('options', `is ${describe(raw.options)}, expected an object`);
  rejectUnknownKeys(raw.options, OPTION_KEYS, 'options');
  for (const key of ['variant', 'normalization'] as const) {
    if (raw.options[key] === undefined) throw new PlanFormatError(`options.${key}`, 'is missing');
  }
  let options: ResolvedSelectionOptions;
  try {
    options = resolveOptions(raw.options as unknown as SelectionOptions);
  } catch (error) {
    if (error instanceof SelectionError) throw new PlanFormatError('options', error.message);
    throw error;
  }
  if (options.strategy === 'global' && (raw.options.score === undefined || raw.options.minPerLayer === undefined)) {
    throw new PlanFormatError('options', `a 'global' plan records score and minPerLayer`);
  }
  if (!Array.isArray(raw.layers) || raw.layers.length === 0) throw new PlanFormatError('layers', `is ${describe(raw.layers)}, expected a non-empty array`);
  const names = new Set<string>();
  const layers = raw.layers.map((entry: unknown, i: number) => {
    const layer = readLayer(entry, `layers[${i}]`);
    if (names.has(layer.name)) throw new PlanFormatError(`layers[${i}].name`, `duplicate layer name ${describe(layer.name)}`);
    names.add(layer.name);
    if (options.strategy === 'per-layer' && layer.indices.length !== options.perLayer) {
      throw new PlanFormatError(`layers[${i}].indices`, `has ${layer.indices.length} positions, options.perLayer is ${options.perLayer}`);
    }
    return layer;
  });
  if (options.strategy === 'global') {
    const total = layers.reduce((sum, l) => sum + l.indices.length, 0);
    if (total !== options.budget) throw new PlanFormatError('layers', `hold ${total} positions in all, options.budget is ${options.budget}`);
  }
  return { version: SELECTION_PLAN_VERSION, options, layers };
}
