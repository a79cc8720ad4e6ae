import { packageBuildConfig } from '../../tools/tsup.shared';

// index: browser-safe main entry; node: the worker-thread pool (Node only), loaded lazily by
// selectSpectrum; selection-worker: the script each worker thread runs.
export default packageBuildConfig({ entry: ['src/index.ts', 'src/node.ts', 'src/selection-worker.ts'], shims: true });
