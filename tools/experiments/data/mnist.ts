/**
 * The demo's MNIST digits and its mirror task (`ssh-peft demo --task mirror`), taken from
 * `@ssh-peft/cli/data` so that the experiments and the demo read the same images the same way.
 */
import { applyTargetTask, loadMnistDigits, MNIST_PIXELS, type DigitImages } from '@ssh-peft/cli/data';
import type { LabelledSet } from './labelled-set';

export { MNIST_PIXELS };

function asLabelledSet(digits: DigitImages): LabelledSet {
  return { count: digits.count, width: MNIST_PIXELS, x: digits.images, labels: digits.labels };
}

/** All digits in a fixed order (all 0s, then all 1s, …). */
export function loadMnist(): LabelledSet {
  return asLabelledSet(loadMnistDigits());
}

/** Left–right mirrored digits: pixel (r, c) moves to (r, 27 − c). Labels unchanged. */
export function mirrorImages(set: LabelledSet): LabelledSet {
  if (set.width !== MNIST_PIXELS) throw new RangeError(`mirrorImages: rows of width ${set.width} are not ${MNIST_PIXELS}-pixel digits`);
  return asLabelledSet(applyTargetTask('mirror', { count: set.count, images: set.x, labels: set.labels }));
}
