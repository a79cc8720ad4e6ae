#!/usr/bin/env node
/**
 * The `ssh-peft` executable that npm links. It is committed (npm links a workspace's bin only if
 * the file exists at install time, before any build): it runs the built CLI (`dist/bin.js`) when
 * there is one, and otherwise — a fresh clone right after `npm ci` — the TypeScript sources
 * through tsx, resolving sibling packages to their sources like the tests do.
 * `SSH_PEFT_CLI_FROM=source` or `=dist` forces one of the two.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const from = process.env.SSH_PEFT_CLI_FROM;
if (from !== undefined && from !== 'source' && from !== 'dist') {
  process.stderr.write(`error: SSH_PEFT_CLI_FROM must be 'source' or 'dist', got '${from}'\n`);
  process.exit(2);
}

if (from === 'dist' || (from === undefined && existsSync(dist))) {
  await import(pathToFileURL(dist).href);
} else {
  let loader;
  try {
    loader = import.meta.resolve('tsx/esm');
  } catch {
    process.stderr.write('error: ssh-peft has no build (dist/bin.js) and tsx is not installed to run its sources; run `npm run build` or `npm install`\n');
    process.exit(1);
  }
  const child = spawn(process.execPath, ['--conditions=@ssh-peft/source', '--import', loader, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C in a terminal reaches the child itself (same process group), which stops cleanly and
  // exits with its own code: the launcher only waits (forwarding it would count as a second Ctrl-C).
  // Signals sent to the launcher alone (kill) are passed on.
  const ignore = () => undefined;
  const forward = (signal) => () => child.kill(signal);
  const handlers = [
    ['SIGINT', ignore],
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  child.on('exit', (code, signal) => {
    for (const [name, handler] of handlers) process.off(name, handler);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
