/** The live loss curve (left axis) with held-out accuracy points (right axis, 0–100 %). */

export interface ChartData {
  losses: readonly number[];
  /** Held-out accuracy after `step` steps. */
  accuracies: ReadonlyArray<{ step: number; accuracy: number }>;
  /** Last step of the x axis (the run's target). */
  steps: number;
}

/**
 * Draws `data` into `canvas` (device-pixel sharp).
 *
 * @example
 * ```ts
 * drawLossChart(canvas, { losses: [2.3, 2.1], accuracies: [{ step: 0, accuracy: 0.07 }], steps: 200 });
 * ```
 */
export function drawLossChart(canvas: HTMLCanvasElement, data: ChartData): void {
  const scale = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 480;
  const height = canvas.clientHeight || 220;
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const g = canvas.getContext('2d');
  if (g === null) return;
  g.setTransform(scale, 0, 0, scale, 0, 0);
  g.clearRect(0, 0, width, height);
  const left = 44;
  const right = 44;
  const top = 12;
  const bottom = 28;
  const w = width - left - right;
  const h = height - top - bottom;
  const maxLoss = Math.max(2.5, ...data.losses.filter(Number.isFinite));
  const steps = Math.max(1, data.steps, data.losses.length);
  const x = (step: number) => left + (w * step) / steps;
  const yLoss = (loss: number) => top + h * (1 - loss / maxLoss);
  const yAccuracy = (accuracy: number) => top + h * (1 - accuracy);

  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#d0d4da';
  g.fillStyle = '#5b6270';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = top + (h * i) / 4;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(left + w, y);
    g.stroke();
    g.textAlign = 'right';
    g.fillText(((maxLoss * (4 - i)) / 4).toFixed(1), left - 6, y + 4);
    g.textAlign = 'left';
    g.fillText(`${25 * (4 - i)} %`, left + w + 6, y + 4);
  }
  g.textAlign = 'center';
  g.fillText(`step (of ${steps})`, left + w / 2, height - 6);
  g.save();
  g.translate(12, top + h / 2);
  g.rotate(-Math.PI / 2);
  g.fillStyle = '#2563eb';
  g.fillText('loss', 0, 0);
  g.restore();
  g.save();
  g.translate(width - 8, top + h / 2);
  g.rotate(Math.PI / 2);
  g.fillStyle = '#c2410c';
  g.fillText('held-out accuracy', 0, 0);
  g.restore();

  if (data.losses.length > 0) {
    g.strokeStyle = '#2563eb';
    g.lineWidth = 1.5;
    g.beginPath();
    data.losses.forEach((loss, i) => (i === 0 ? g.moveTo(x(i + 1), yLoss(loss)) : g.lineTo(x(i + 1), yLoss(loss))));
    g.stroke();
  }
  g.fillStyle = '#c2410c';
  g.strokeStyle = '#c2410c';
  g.lineWidth = 1;
  g.beginPath();
  data.accuracies.forEach((a, i) => (i === 0 ? g.moveTo(x(a.step), yAccuracy(a.accuracy)) : g.lineTo(x(a.step), yAccuracy(a.accuracy))));
  g.stroke();
  for (const a of data.accuracies) {
    g.beginPath();
    g.arc(x(a.step), yAccuracy(a.accuracy), 3, 0, 2 * Math.PI);
    g.fill();
  }
}
