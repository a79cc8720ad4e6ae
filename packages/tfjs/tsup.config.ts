import { packageBuildConfig } from '../../tools/tsup.shared';

// src/gpu.ts = the `@ssh-peft/tfjs/gpu` entry (webgl/webgpu DHT kernels, kept out of Node's import graph).
export default packageBuildConfig({ entry: ['src/index.ts', 'src/gpu.ts'] });
