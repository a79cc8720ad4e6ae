/**
 * Resolution of a layer selector (names, RegExp or predicate) against a model's layers.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { SshOptionError, SshTargetError } from '../errors';

/** Names (exact), a RegExp tested against layer names, or a predicate. */
export type LayerSelector = string | readonly string[] | RegExp | ((layer: tfl.layers.Layer) => boolean);

/** Whether a layer is a plain tfjs Dense layer. */
export function isDenseLayer(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'Dense';
}

function matches(selector: LayerSelector, layer: tfl.layers.Layer): boolean {
  if (typeof selector === 'string') return layer.name === selector;
  if (selector instanceof RegExp) {
    selector.lastIndex = 0;
    return selector.test(layer.name);
  }
  if (typeof selector === 'function') return selector(layer);
  return selector.includes(layer.name);
}

function checkSelector(selector: unknown, option: string): asserts selector is LayerSelector {
  const ok =
    typeof selector === 'string' ||
    selector instanceof RegExp ||
    typeof selector === 'function' ||
    (Array.isArray(selector) && selector.every((s) => typeof s === 'string'));
  if (!ok) throw new SshOptionError(`${option} must be a layer name, an array of names, a RegExp or a predicate, got ${String(selector)}`);
}

/** Every layer the selector picks, in model order (no type check). */
export function selectLayers(model: tfl.LayersModel, selector: unknown, option: string): tfl.layers.Layer[] {
  checkSelector(selector, option);
  const names = typeof selector === 'string' ? [selector] : Array.isArray(selector) ? (selector as readonly string[]) : [];
  const known = new Set(model.layers.map((l) => l.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0) {
    throw new SshTargetError(`${option}: no layer named ${missing.map((n) => `'${n}'`).join(', ')} in model '${model.name}'; layers: ${[...known].join(', ')}`);
  }
  return model.layers.filter((l) => matches(selector, l));
}

/**
 * The Dense layers a `targets` selector picks.
 * @throws {SshTargetError} when nothing matches (listing the model's Dense layers) or a
 * matched layer is not a Dense layer (naming it and its class).
 */
export function resolveDenseTargets(model: tfl.LayersModel, targets: unknown, option = 'targets'): tfl.layers.Layer[] {
  const dense = model.layers.filter(isDenseLayer).map((l) => l.name);
  let picked: tfl.layers.Layer[];
  try {
    picked = selectLayers(model, targets, option);
  } catch (e) {
    if (e instanceof SshTargetError) throw new SshTargetError(`${e.message}. Dense layers: ${dense.join(', ') || '(none)'}`);
    throw e;
  }
  if (picked.length === 0) {
    throw new SshTargetError(`${option} ${String(targets)} matched no layer of model '${model.name}'; Dense layers: ${dense.join(', ') || '(none)'}`);
  }
  const wrong = picked.filter((l) => !isDenseLayer(l));
  if (wrong.length > 0) {
    throw new SshTargetError(
      `${option} matched layers that are not Dense layers: ${wrong.map((l) => `'${l.name}' (${l.getClassName()})`).join(', ')}; ` +
        `only Dense layers can be adapted. Dense layers: ${dense.join(', ') || '(none)'}`,
    );
  }
  return picked;
}
