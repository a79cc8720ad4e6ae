#!/usr/bin/env node
/** The `ssh-peft` executable. */
import { runCli } from './program';

void runCli(process.argv.slice(2)).then((code) => {
  // Exit explicitly once stdout is flushed: onnxruntime and the wasm backend may keep handles alive.
  process.stdout.write('', () => process.exit(code));
});
