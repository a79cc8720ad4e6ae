import { packageBuildConfig } from '../../tools/tsup.shared';

// src/node.ts = `@ssh-peft/adapter/node`, the file I/O kept out of the browser-safe main entry.
export default packageBuildConfig({ entry: ['src/index.ts', 'src/node.ts'] });
