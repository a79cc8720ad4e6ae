/** Base class of every error thrown by `@ssh-peft/tfjs-onnx`. */
export class TfjsOnnxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An exporter option has an invalid value, or the model is not a functional LayersModel. */
export class TfjsOnnxOptionError extends TfjsOnnxError {}

/** The exporter met a layer it cannot translate; names the layer and its className. */
export class TfjsOnnxUnsupportedLayerError extends TfjsOnnxError {
  constructor(readonly layerName: string, readonly className: string, detail: string) {
    super(`cannot export layer ${JSON.stringify(layerName)} (className ${JSON.stringify(className)}): ${detail}`);
  }
}
