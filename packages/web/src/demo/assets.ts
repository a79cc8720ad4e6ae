/**
 * The page's own files, fetched from its origin by URLs relative to the page (so the built
 * folder works from any static server and any sub-path): the base model and the digits.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SshPositionEmbedding, SshSelfAttention } from '@ssh-peft/tfjs';
import { decodeDigitPack, type DigitSet } from '../data/digit-pack';

/** Paths relative to the page. */
export const ASSET_PATHS = {
  model: 'base-model/model.json',
  adapt: 'data/adapt.bin',
  test: 'data/test.bin',
} as const;

function pageUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

async function fetchDigits(path: string): Promise<DigitSet> {
  const response = await fetch(pageUrl(path));
  if (!response.ok) throw new Error(`could not fetch ${path}: HTTP ${response.status}`);
  return decodeDigitPack(new Uint8Array(await response.arrayBuffer()), path);
}

/**
 * The pretrained base model and the adaptation and held-out digits (upright).
 *
 * @example
 * ```ts
 * const { model, adapt, test } = await loadAssets();
 * ```
 */
export async function loadAssets(): Promise<{ model: tfl.LayersModel; adapt: DigitSet; test: DigitSet }> {
  // Registered here explicitly: the package is side-effect free, so a bundler may drop the
  // modules' own registerClass calls when nothing else of them is used.
  tf.serialization.registerClass(SshSelfAttention);
  tf.serialization.registerClass(SshPositionEmbedding);
  const [model, adapt, test] = await Promise.all([tfl.loadLayersModel(pageUrl(ASSET_PATHS.model)), fetchDigits(ASSET_PATHS.adapt), fetchDigits(ASSET_PATHS.test)]);
  return { model, adapt, test };
}
