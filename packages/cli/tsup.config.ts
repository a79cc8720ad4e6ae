import { packageBuildConfig } from '../../tools/tsup.shared';

// src/bin.ts is the `ssh-peft` binary (no declarations); src/data and src/train are the
// `@ssh-peft/cli/data` and `/train` subpaths. Shims make import.meta.url (used to find the
// mnist package) work in the CommonJS build too.
export default packageBuildConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', 'data/index': 'src/data/index.ts', 'train/index': 'src/train/index.ts' },
  dtsEntry: { index: 'src/index.ts', 'data/index': 'src/data/index.ts', 'train/index': 'src/train/index.ts' },
  shims: true,
});
