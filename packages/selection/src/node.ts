/**
 * @packageDocumentation
 * `@ssh-peft/selection/node` — the Node-only part of the package: the worker-thread pool that
 * `selectSpectrum` loads (lazily, by this module name) to spread large layers over the cores.
 * The main entry never imports it statically, so it stays browser-safe.
 */
export { createWorkerPool, MIN_WORKER_POSITIONS } from './node-pool';
