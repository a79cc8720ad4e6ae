/**
 * The page: choose a backend, load the base model and the digits, show the base model on
 * upright and inverted digits, then adapt it with SSH and show it learning.
 *
 * Testing contract (packages/web/README.md): `?steps=N&autostart=1` trains N steps on load;
 * when finished `document.body.dataset.state` is 'done' (or 'error', with the message on the
 * page) and `window.sshPeftDemo` holds the run's numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_ORDER, chooseBackend, type BackendName } from './backend';
import { invertDigits, type DigitSet } from './data/digit-pack';
import { loadAssets } from './demo/assets';
import { maxAbsDifference, predictDigits, type Predictions } from './demo/predict';
import { DEMO_SETTINGS } from './demo/settings';
import { SshSession } from './demo/ssh-session';
import { drawEnergyMap } from './view/energy-map';
import { drawLossChart } from './view/loss-chart';
import { renderSamples, type SamplePredictions } from './view/digits-view';

/** What the page publishes on `window.sshPeftDemo` when a run finishes. */
export interface DemoResult {
  backend: BackendName;
  backendReason: string;
  /** Held-out accuracy on inverted digits, before and after adaptation, in [0, 1]. */
  baseAccuracy: number;
  adaptedAccuracy: number;
  /** Held-out accuracy of the base model on upright digits (its source task). */
  sourceAccuracy: number;
  trainableParams: number;
  totalParams: number;
  loraRank1Params: number;
  steps: number;
  stepsPerSecond: number;
  losses: number[];
  /** Held-out accuracy after each evaluated step (step 0 = the base model). */
  accuracies: Array<{ step: number; accuracy: number }>;
  /** Predicted class of every held-out (inverted) digit after adaptation, in file order. */
  testPredictions: number[];
}

declare global {
  interface Window {
    sshPeftDemo?: DemoResult;
  }
}

type PageState = 'loading' | 'ready' | 'training' | 'stopped' | 'done' | 'error';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

function setState(state: PageState): void {
  document.body.dataset.state = state;
}

function say(text: string): void {
  $('message').textContent = text;
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  say(`Error: ${message}`);
  console.error(error);
  setState('error');
  for (const id of ['start', 'download', 'merge']) $<HTMLButtonElement>(id).disabled = true;
}

/** `?steps=N` (1…10 000), else the CLI demo's step count. */
function requestedSteps(params: URLSearchParams): number {
  const raw = params.get('steps');
  if (raw === null) return DEMO_SETTINGS.steps;
  const steps = Number(raw);
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) throw new Error(`?steps=${raw} is not an integer between 1 and 10000`);
  return steps;
}

function requestedBackend(params: URLSearchParams): BackendName | undefined {
  const raw = params.get('backend');
  if (raw === null) return undefined;
  if (!(BACKEND_ORDER as readonly string[]).includes(raw)) throw new Error(`?backend=${raw} is not one of ${BACKEND_ORDER.join(', ')}`);
  return raw as BackendName;
}

/** The first held-out image of each digit 0…9. */
function sampleIndices(set: DigitSet): number[] {
  const found: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const index = set.labels.indexOf(digit);
    if (index >= 0) found.push(index);
  }
  return found;
}

class DemoPage {
  private readonly losses: number[] = [];
  private readonly accuracies: Array<{ step: number; accuracy: number }> = [];
  private readonly samples: number[];
  private readonly samplePredictions: SamplePredictions[];
  private running = false;
  private stopRequested = false;
  private trainingSeconds = 0;
  private lastDraw = 0;

  constructor(
    private readonly backend: { name: BackendName; reason: string },
    private readonly session: SshSession,
    private readonly test: DigitSet,
    private readonly totalParams: number,
    private readonly baseline: { source: number; inverted: Predictions },
    private targetSteps: number,
  ) {
    this.samples = sampleIndices(test);
    this.samplePredictions = this.samples.map((i) => ({ before: baseline.inverted.classes[i] }));
    this.accuracies.push({ step: 0, accuracy: baseline.inverted.accuracy });
  }

  /** Fills the static parts and wires the buttons. */
  mount(): void {
    $('acc-upright').textContent = percent(this.baseline.source);
    $('acc-base').textContent = percent(this.baseline.inverted.accuracy);
    this.showParameters();
    this.showEnergyLayers();
    renderSamples($('samples'), this.test, this.samples, this.samplePredictions);
    this.draw(true);
    $('start').addEventListener('click', () => (this.running ? this.stop() : void this.train().catch(fail)));
    $('download').addEventListener('click', () => this.download());
    $<HTMLInputElement>('load').addEventListener('change', (e) => void this.loadAdapter(e.target as HTMLInputElement).catch(fail));
    $('merge').addEventListener('click', () => void this.toggleMerge().catch(fail));
    $<HTMLSelectElement>('energy-layer').addEventListener('change', () => this.drawEnergy());
    window.addEventListener('resize', () => this.draw(true));
    this.setButtons();
  }

  private setButtons(): void {
    const merged = this.session.handle.merged;
    $<HTMLButtonElement>('start').disabled = merged;
    $('start').textContent = this.running ? 'Stop' : this.session.stepsDone === 0 ? 'Start' : this.session.stepsDone >= this.targetSteps ? 'Train more' : 'Continue';
    $<HTMLButtonElement>('download').disabled = this.running;
    $<HTMLInputElement>('load').disabled = this.running;
    $('load-label').classList.toggle('disabled', this.running);
    $<HTMLButtonElement>('merge').disabled = this.running;
    $('merge').textContent = merged ? 'Unmerge' : 'Merge into weights';
  }

  private showParameters(): void {
    const trainable = this.session.trainableParams;
    $('params').textContent = trainable.toLocaleString('en');
    $('params-detail').textContent =
      `${((100 * trainable) / this.totalParams).toFixed(1)} % of ${this.totalParams.toLocaleString('en')}; ` +
      `LoRA r = 1 on the same ${this.session.layers.length} layers: ${this.session.loraRank1Params.toLocaleString('en')}`;
  }

  private showEnergyLayers(): void {
    const select = $<HTMLSelectElement>('energy-layer');
    const layers = this.session.layers;
    const most = layers.reduce((best, l, i) => (l.indices.length > layers[best].indices.length ? i : best), 0);
    select.replaceChildren(
      ...layers.map((l, i) => {
        const option = document.createElement('option');
        option.value = String(i);
        option.textContent = `${l.name} [${l.rows}×${l.cols}], ${l.indices.length} positions`;
        return option;
      }),
    );
    select.value = String(most);
    this.drawEnergy();
  }

  private drawEnergy(): void {
    const layer = this.session.layers[Number($<HTMLSelectElement>('energy-layer').value)];
    drawEnergyMap($('energy-map'), layer.weights, layer.rows, layer.cols, layer.indices);
  }

  private draw(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 120) return;
    this.lastDraw = now;
    drawLossChart($('loss-chart'), { losses: this.losses, accuracies: this.accuracies, steps: Math.max(this.targetSteps, this.session.stepsDone) });
    $('step').textContent = `${this.session.stepsDone} / ${this.targetSteps}`;
    const last = this.losses[this.losses.length - 1];
    $('loss').textContent = last === undefined ? '–' : last.toFixed(3);
    $('speed').textContent = this.trainingSeconds > 0 ? (this.losses.length / this.trainingSeconds).toFixed(1) : '–';
  }

  private async evaluate(): Promise<Predictions> {
    const predictions = await predictDigits(this.session.handle.model, this.test);
    const step = this.session.stepsDone;
    if (this.accuracies[this.accuracies.length - 1].step !== step) this.accuracies.push({ step, accuracy: predictions.accuracy });
    $('acc-adapted').textContent = percent(predictions.accuracy);
    this.samples.forEach((index, k) => (this.samplePredictions[k].after = predictions.classes[index]));
    renderSamples($('samples'), this.test, this.samples, this.samplePredictions);
    return predictions;
  }

  /** Trains up to the target (or until Stop), evaluating every fifth of the run. */
  async train(): Promise<void> {
    if (this.session.stepsDone >= this.targetSteps) this.targetSteps += DEMO_SETTINGS.steps;
    this.running = true;
    this.stopRequested = false;
    setState('training');
    this.setButtons();
    say(`Training SSH on ${this.backend.name}: ${this.session.trainableParams} spectral coefficients, everything else frozen…`);
    // Five points on the accuracy curve: evaluating 1 000 digits costs several training steps.
    const evalEvery = Math.max(10, Math.round(this.targetSteps / 5));
    try {
      while (this.session.stepsDone < this.targetSteps && !this.stopRequested) {
        const started = performance.now();
        this.losses.push(await this.session.step());
        this.trainingSeconds += (performance.now() - started) / 1000;
        if (this.session.stepsDone % evalEvery === 0 && this.session.stepsDone < this.targetSteps) await this.evaluate();
        this.draw();
      }
      const final = await this.evaluate();
      this.draw(true);
      const finished = this.session.stepsDone >= this.targetSteps;
      this.publish(final);
      say(
        `${finished ? 'Done' : 'Stopped'} after ${this.session.stepsDone} steps on ${this.backend.name}: held-out accuracy on inverted digits ` +
          `${percent(this.baseline.inverted.accuracy)} → ${percent(final.accuracy)}.`,
      );
      setState(finished ? 'done' : 'stopped');
    } finally {
      this.running = false;
      this.setButtons();
    }
  }

  stop(): void {
    this.stopRequested = true;
    say('Stopping after this step…');
  }

  private publish(final: Predictions): void {
    window.sshPeftDemo = {
      backend: this.backend.name,
      backendReason: this.backend.reason,
      baseAccuracy: this.baseline.inverted.accuracy,
      adaptedAccuracy: final.accuracy,
      sourceAccuracy: this.baseline.source,
      trainableParams: this.session.trainableParams,
      totalParams: this.totalParams,
      loraRank1Params: this.session.loraRank1Params,
      steps: this.session.stepsDone,
      stepsPerSecond: this.trainingSeconds > 0 ? this.losses.length / this.trainingSeconds : 0,
      losses: [...this.losses],
      accuracies: this.accuracies.map((a) => ({ ...a })),
      testPredictions: Array.from(final.classes),
    };
  }

  private download(): void {
    const bytes = this.session.adapterBytes();
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `ssh-adapter-${this.session.stepsDone}-steps.safetensors`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.adapterMessage(`Saved ${bytes.length.toLocaleString('en')} bytes: inspect it with \`ssh-peft inspect\`, merge it into an ONNX export with \`ssh-peft merge\`.`, 'ok');
  }

  private adapterMessage(text: string, kind: 'ok' | 'error'): void {
    const element = $('adapter-message');
    element.textContent = text;
    element.className = kind;
  }

  /** Loads an adapter file; a wrong or damaged file changes nothing and is reported. */
  private async loadAdapter(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    let coefficients: number;
    try {
      const adapter = this.session.loadAdapterFile(new Uint8Array(await file.arrayBuffer()));
      coefficients = adapter.layers.reduce((sum, l) => sum + l.coefficients.length, 0);
    } catch (error) {
      this.adapterMessage(`Could not load ${file.name}: ${(error as Error).message}`, 'error');
      return;
    }
    this.setButtons();
    this.showParameters();
    this.showEnergyLayers();
    const predictions = await this.evaluate();
    this.publish(predictions);
    this.adapterMessage(`Loaded ${file.name}: ${coefficients} coefficients; held-out accuracy ${percent(predictions.accuracy)}.`, 'ok');
  }

  /** Merges ΔW into the weights (or back out) and shows that the predictions stay the same. */
  private async toggleMerge(): Promise<void> {
    const handle = this.session.handle;
    const timed = async () => {
      const started = performance.now();
      const predictions = await predictDigits(handle.model, this.test);
      return { predictions, ms: performance.now() - started };
    };
    const before = await timed();
    const merging = !handle.merged;
    if (merging) handle.merge();
    else handle.unmerge();
    const after = await timed();
    let same = 0;
    for (let i = 0; i < this.test.count; i++) if (before.predictions.classes[i] === after.predictions.classes[i]) same++;
    const [unmerged, merged] = merging ? [before, after] : [after, before];
    $('merge-result').textContent =
      `${merging ? 'Merged' : 'Unmerged'}: the same class for ${same} of ${this.test.count} held-out digits, ` +
      `max |Δp| = ${maxAbsDifference(before.predictions.probabilities, after.predictions.probabilities).toExponential(1)}; ` +
      `inference over them ${merged.ms.toFixed(0)} ms merged (plain Dense layers, the base model's cost) vs ${unmerged.ms.toFixed(0)} ms with the adapter kept apart.` +
      (merging ? ' Unmerge to train further.' : '');
    this.setButtons();
  }
}

/** Everything the page needs from one backend, checked to run SSH there. */
interface Prepared {
  session: SshSession;
  totalParams: number;
  test: DigitSet;
  source: number;
  inverted: Predictions;
}

/** Loads, adapts and checks on the active backend; throws when SSH cannot run on it. */
async function prepare(backend: BackendName): Promise<Prepared> {
  say(`Loading the base model and the digits (${backend})…`);
  const { model, adapt, test } = await loadAssets();
  const totalParams = model.countParams();
  say('Selecting spectral positions (global energy ranking over all attention and MLP weights)…');
  const testInverted = invertDigits(test);
  const session = await SshSession.create(model, invertDigits(adapt));
  try {
    say(`Checking that SSH trains on ${backend}…`);
    await session.check(testInverted);
    say('Evaluating the base model on upright and inverted held-out digits…');
    // Coefficients start at zero, so the adapted model computes the base model exactly.
    const source = (await predictDigits(session.handle.model, test)).accuracy;
    const inverted = await predictDigits(session.handle.model, testInverted);
    return { session, totalParams, test: testInverted, source, inverted };
  } catch (error) {
    session.dispose();
    model.dispose();
    throw error;
  }
}

async function main(): Promise<void> {
  setState('loading');
  window.addEventListener('unhandledrejection', (e) => fail(e.reason));
  window.addEventListener('error', (e) => fail(e.error ?? e.message));
  const params = new URLSearchParams(location.search);
  const steps = requestedSteps(params);
  const forced = requestedBackend(params);
  const failed: Array<{ name: BackendName; why: string }> = [];
  let backend = await chooseBackend(forced, failed);
  let prepared: Prepared;
  for (;;) {
    $('backend').textContent = backend.name;
    $('backend-reason').textContent = `— ${backend.reason}`;
    try {
      prepared = await prepare(backend.name);
      break;
    } catch (error) {
      // A backend that starts but cannot run SSH's ops is skipped, with the reason shown.
      if (backend.name === 'cpu') throw error;
      failed.push({ name: backend.name, why: `SSH did not run on it (${(error as Error).message})` });
      tf.disposeVariables();
      backend = await chooseBackend(undefined, failed);
    }
  }
  const { session, totalParams, test, source, inverted } = prepared;
  const page = new DemoPage(backend, session, test, totalParams, { source, inverted }, steps);
  page.mount();
  say(
    `The base model gets ${percent(source)} of upright digits right but ${percent(inverted.accuracy)} of inverted ones. ` +
      `Press Start to adapt it with SSH (${steps} steps).`,
  );
  setState('ready');
  if (params.get('autostart') === '1') await page.train();
}

main().catch(fail);
