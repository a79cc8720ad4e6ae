// Starts the TypeScript worker when the package runs from source (tests, benchmarks): registers
// tsx's loader in this thread, then loads selection-worker.ts. The built package never uses it.
const { register } = await import('tsx/esm/api');
register();
await import(new URL('./selection-worker.ts', import.meta.url).href);
