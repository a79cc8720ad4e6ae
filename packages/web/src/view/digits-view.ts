/** Sample digits with their label and the predictions before and after adaptation. */
import { DIGIT_PIXELS, type DigitSet } from '../data/digit-pack';

/** Draws image `index` of `set` into a new 28×28 canvas (scaled up by CSS). */
export function digitCanvas(set: DigitSet, index: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  const g = canvas.getContext('2d');
  if (g !== null) {
    const image = g.createImageData(28, 28);
    for (let i = 0; i < DIGIT_PIXELS; i++) {
      const grey = Math.round(255 * set.images[index * DIGIT_PIXELS + i]);
      image.data.set([grey, grey, grey, 255], 4 * i);
    }
    g.putImageData(image, 0, 0);
  }
  return canvas;
}

/** One sample's predictions (undefined while not known yet). */
export interface SamplePredictions {
  before?: number;
  after?: number;
}

/**
 * Fills `container` with one card per sample: the digit, its label, the base model's and the
 * adapted model's predicted class (green when right, red when wrong).
 */
export function renderSamples(container: HTMLElement, set: DigitSet, samples: readonly number[], predictions: readonly SamplePredictions[]): void {
  container.replaceChildren(
    ...samples.map((index, k) => {
      const card = document.createElement('figure');
      card.className = 'digit';
      card.append(digitCanvas(set, index));
      const caption = document.createElement('figcaption');
      const label = set.labels[index];
      const line = (title: string, value: number | undefined) => {
        const span = document.createElement('span');
        span.textContent = `${title} ${value ?? '–'}`;
        if (value !== undefined) span.className = value === label ? 'right' : 'wrong';
        return span;
      };
      const truth = document.createElement('strong');
      truth.textContent = `digit ${label}`;
      caption.append(truth, line('base', predictions[k]?.before), line('SSH', predictions[k]?.after));
      card.append(caption);
      return card;
    }),
  );
}
