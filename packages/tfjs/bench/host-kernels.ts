/**
 * `npx nx run tfjs:bench-host` — what the opt-in host kernels buy on a whole training step:
 *
 * 1. registerLinearTileGradient vs tfjs's own Tile gradient: the demo-size tiny ViT
 *    (dim 32, 2 blocks, LayerNormalization) on the wasm backend, batch 32.
 * 2. registerBlockTile('wasm') vs tfjs's Tile kernel, on the same step (gradient already ours).
 * 3. registerLinearSegmentSum('cpu') vs tfjs-backend-cpu's UnsortedSegmentSum: the tiny
 *    text classifier (Embedding over a 1 400-word vocabulary), all weights training, cpu backend.
 *
 * Each pair alternates stock / ours in rounds (same machine load), median of the rounds;
 * the table gives both times and the ratio. Writes the `host` section of
 * docs/benchmarks/tfjs.md. SSH_BENCH_ROUNDS (default 3), SSH_BENCH_QUICK=1 (2 rounds).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildTinyTextClassifier, buildTinyViT } from '../src/models/index';
import { linearTileGradConfig } from '../src/gradients/tile-gradient';
import { registerLinearSegmentSum } from '../src/kernels/host/segment-sum';
import { registerBlockTile } from '../src/kernels/host/tile';
import { registerSshKernelsOnWasm } from '../src/kernels/register-wasm';
import { updateDocSection } from './doc-section';

const quick = process.env.SSH_BENCH_QUICK === '1';
const rounds = Math.max(2, Number(process.env.SSH_BENCH_ROUNDS ?? (quick ? 2 : 3)));
const BATCH = 32;
// Steps per round: the stock cpu text step takes ~20 s, so fewer of those.
const VIT_STEPS = quick ? 2 : 5;
const TEXT_STEPS = quick ? 1 : 2;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Milliseconds per training step of `model` (all trainable weights, Adam), after one warm-up step. */
function makeStepper(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, stepsPerRound: number): () => number {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  return () => {
    step();
    const t0 = performance.now();
    for (let i = 0; i < stepsPerRound; i++) step();
    return (performance.now() - t0) / stepsPerRound;
  };
}

/** Alternates stock and ours for `rounds` rounds (same machine load); medians in ms. */
function alternate(run: () => number, useStock: () => void, useOurs: () => void): { stockMs: number; oursMs: number } {
  const stock: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < rounds; r++) {
    useStock();
    stock.push(run());
    useOurs();
    ours.push(run());
  }
  return { stockMs: median(stock), oursMs: median(ours) };
}

/** Makes `kernelFunc` the `kernelName` kernel of `backendName`. */
function swapKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}

function tinyViTBatch(): { model: tfl.LayersModel; x: tf.Tensor; y: tf.Tensor } {
  return {
    model: buildTinyViT({ dim: 32, depth: 2, heads: 4, mlpDim: 64, numClasses: 10, seed: 1 }),
    x: tf.randomUniform([BATCH, 784], 0, 1, 'float32', 1),
    y: tf.cast(tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10), 'float32'),
  };
}

interface Pair {
  what: string;
  backend: string;
  stockMs: number;
  oursMs: number;
}

async function tilePair(): Promise<Pair> {
  await tf.setBackend('wasm');
  await tf.ready();
  registerSshKernelsOnWasm();
  const stock = tf.getGradient(tf.Tile);
  if (stock === undefined) throw new Error('tfjs registered no Tile gradient');
  const stockConfig = { ...stock };
  const { model, x, y } = tinyViTBatch();
  const times = alternate(makeStepper(model, x, y, VIT_STEPS), () => tf.registerGradient(stockConfig), () => tf.registerGradient(linearTileGradConfig));
  tf.dispose([x, y]);
  model.dispose();
  return { what: 'tiny ViT training step (dim 32, 2 blocks, 5 LayerNormalizations), Tile gradient', backend: 'wasm', ...times };
}

async function blockTilePair(): Promise<Pair> {
  await tf.setBackend('wasm');
  await tf.ready();
  // Measured on top of the linear Tile gradient (tilePair leaves ours registered).
  const stock = registerBlockTile('wasm');
  if (stock === undefined) throw new Error('the wasm backend has no Tile kernel');
  const block = tf.getKernel(tf.Tile, 'wasm')?.kernelFunc as tf.KernelFunc;
  const { model, x, y } = tinyViTBatch();
  const times = alternate(makeStepper(model, x, y, VIT_STEPS), () => swapKernel(tf.Tile, 'wasm', stock), () => swapKernel(tf.Tile, 'wasm', block));
  tf.dispose([x, y]);
  model.dispose();
  return { what: 'the same ViT step with the linear Tile gradient, Tile kernel (registerBlockTile)', backend: 'wasm', ...times };
}

async function segmentSumPair(): Promise<Pair> {
  await tf.setBackend('cpu');
  await tf.ready();
  const stock = registerLinearSegmentSum('cpu');
  if (stock === undefined) throw new Error('the cpu backend has no UnsortedSegmentSum');
  const fast = tf.getKernel(tf.UnsortedSegmentSum, 'cpu')?.kernelFunc as tf.KernelFunc;
  const vocabSize = 1400;
  const model = buildTinyTextClassifier({ dim: 32, depth: 2, heads: 4, mlpDim: 64, numClasses: 2, vocabSize, seqLen: 20, seed: 1 });
  const x = tf.cast(tf.randomUniform([BATCH, 20], 0, vocabSize, 'int32', 3), 'float32');
  const y = tf.cast(tf.oneHot(tf.randomUniform([BATCH], 0, 2, 'int32', 4), 2), 'float32');
  const times = alternate(makeStepper(model, x, y, TEXT_STEPS), () => swapKernel(tf.UnsortedSegmentSum, 'cpu', stock), () => swapKernel(tf.UnsortedSegmentSum, 'cpu', fast));
  tf.dispose([x, y]);
  model.dispose();
  return { what: `tiny text classifier training step (Embedding ${vocabSize}×32, seq 20), UnsortedSegmentSum`, backend: 'cpu', ...times };
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const started = new Date().toISOString();
  const pairs = [await tilePair(), await blockTilePair(), await segmentSumPair()];
  const section = [
    '### Opt-in host kernels on a whole training step',
    '',
    `Run ${started} by \`npx nx run tfjs:bench-host\`; batch ${BATCH}, ${rounds} rounds of ${VIT_STEPS} (ViT) / ${TEXT_STEPS} (text) steps, each round after a warm-up step, stock and ours alternating, median per variant. Single-threaded wasm.${quick ? ' QUICK MODE.' : ''}`,
    '',
    '| training step | backend | tfjs stock (ms) | @ssh-peft/tfjs (ms) | stock / ours |',
    '|---|---|---:|---:|---:|',
    ...pairs.map((p) => `| ${p.what} | ${p.backend} | ${p.stockMs.toFixed(1)} | ${p.oursMs.toFixed(1)} | ${(p.stockMs / p.oursMs).toFixed(2)}× |`),
    '',
  ].join('\n');
  console.log(section);
  console.log(`written to ${updateDocSection('host', section)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
