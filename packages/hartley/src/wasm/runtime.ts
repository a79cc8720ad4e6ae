import { DHT_SIMD_WASM_BASE64 } from './dht-simd-binary';

/** The exports of assembly/dht-simd.ts (pointers are byte offsets into `memory`). */
export interface SimdExports {
  gatherRows(src: number, srcStride: number, dst: number, perm: number, n: number, w: number, valid: number): void;
  scatterRows(src: number, dst: number, dstStride: number, n: number, w: number, valid: number, scale: number): void;
  gatherBitReversed(
    src: number, srcStride: number, dst: number, blocks: number, blockOff: number, S: number, m: number, b: number, lowRev: number, midRev: number, w: number, tmp: number,
  ): void;
  gatherTransposed(src: number, srcStride: number, dst: number, perm: number, n: number, w: number, valid: number): void;
  scatterTransposed(src: number, dst: number, dstStride: number, n: number, w: number, valid: number, scale: number): void;
  fhtStages(a: number, n: number, M: number, w: number, twc: number, tws: number, cacheElems: number): void;
  fhtStages64(a: number, n: number, M: number, w: number, twc: number, tws: number, cacheElems: number): void;
  chirpIn(x: number, c: number, s: number, re: number, im: number, n: number): void;
  chirpProduct(re: number, im: number, br: number, bi: number, m: number): void;
  chirpOut(re: number, im: number, c: number, s: number, out: number, n: number, scale: number): void;
  combine2(v: number, out: number, L: number, twc: number, tws: number, scale: number): void;
  oddStage3(a: number, n: number, L: number, w: number, rot: number): void;
  oddStageGeneric(a: number, n: number, L: number, R: number, w: number, rot: number, dft: number, scratch: number): void;
  oddStage3_64(a: number, n: number, L: number, w: number, rot: number): void;
  oddStageGeneric64(a: number, n: number, L: number, R: number, w: number, rot: number, dft: number, scratch: number): void;
  scatterRows64(src: number, dst: number, dstStride: number, n: number, w: number, valid: number, scale: number): void;
  gatherTransposed64(src: number, srcStride: number, dst: number, perm: number, n: number, w: number, valid: number): void;
  scatterTransposed64(src: number, dst: number, dstStride: number, n: number, w: number, valid: number, scale: number): void;
  combine4(v: number, out: number, L: number, tw: number, scale: number): void;
}

const PAGE = 65536;

/**
 * The one instance of the SIMD module of this JavaScript realm and its memory. Tables (per
 * transform length, kept for the life of the realm) are bump-allocated from the bottom; the scratch
 * a call needs starts above the last table and is only valid during that call.
 */
export class SimdRuntime {
  readonly exports: SimdExports;
  private readonly memory: WebAssembly.Memory;
  private top = 16;
  private buffer: ArrayBuffer;
  private f32View: Float32Array;
  private f64View: Float64Array;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 16 });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as SimdExports;
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.f64View = new Float64Array(this.buffer);
  }

  /** Float32 view of the whole memory (renewed after the memory grows). */
  get f32(): Float32Array {
    this.renewViews();
    return this.f32View;
  }

  /** Float64 view of the whole memory (renewed after the memory grows). */
  get f64(): Float64Array {
    this.renewViews();
    return this.f64View;
  }

  private renewViews(): void {
    if (this.memory.buffer !== this.buffer) {
      this.buffer = this.memory.buffer;
      this.f32View = new Float32Array(this.buffer);
      this.f64View = new Float64Array(this.buffer);
    }
  }

  /** Bytes of memory now. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Reserves `bytes` (16-byte aligned) for a table that lives as long as the runtime. */
  allocate(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes);
    this.ensure(this.top);
    return at;
  }

  /** Start of a scratch area of `bytes`, valid until the next allocate/scratch call. */
  scratch(bytes: number): number {
    this.ensure(this.top + bytes);
    return this.top;
  }

  /** Copies a float table into new memory and returns its pointer. */
  storeF32(values: ArrayLike<number>): number {
    const at = this.allocate(values.length * 4);
    this.f32.set(values, at >> 2);
    return at;
  }

  /** Copies a float64 table into new memory and returns its pointer (8-byte aligned). */
  storeF64(values: ArrayLike<number>): number {
    const at = this.allocate(values.length * 8);
    this.f64.set(values, at >> 3);
    return at;
  }

  storeU32(values: Uint32Array): number {
    const at = this.allocate(values.length * 4);
    new Uint32Array(this.memory.buffer, at, values.length).set(values);
    return at;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }
}

function align(x: number): number {
  return (x + 15) & ~15;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let compiled: WebAssembly.Module | null | undefined;
let runtime: SimdRuntime | null = null;
let enabled = true;

/**
 * The module compiled synchronously, or null where WebAssembly SIMD is missing or synchronous
 * compilation is refused (browsers' main threads refuse modules > 4 KB: {@link loadSimd} compiles
 * asynchronously there).
 */
function compileSync(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return (compiled = null);
    compiled = new WebAssembly.Module(decodeBase64(DHT_SIMD_WASM_BASE64) as Uint8Array<ArrayBuffer>);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** The shared runtime if the SIMD path is available and enabled, else null. */
export function simdRuntime(): SimdRuntime | null {
  if (!enabled) return null;
  if (runtime !== null) return runtime;
  const module = compileSync();
  if (module === null) return null;
  try {
    runtime = new SimdRuntime(module);
  } catch {
    compiled = null;
  }
  return runtime;
}

/**
 * Whether the WebAssembly SIMD path is available and enabled: plans created now use it for
 * float32 data and for float64 data of lengths with small prime factors (f64x2).
 *
 * @example
 * ```ts
 * import { simdAvailable } from '@ssh-peft/hartley';
 * console.log(simdAvailable() ? 'float32 transforms run in WebAssembly SIMD' : 'JavaScript path');
 * ```
 */
export function simdAvailable(): boolean {
  return simdRuntime() !== null;
}

/**
 * Compiles the SIMD module asynchronously (browsers refuse to compile modules over 4 KB
 * synchronously on the main thread) and resolves to {@link simdAvailable}. Plans created after it
 * resolves use the SIMD path; in Node it is not needed (the module compiles on first use).
 *
 * @example
 * ```ts
 * import { loadSimd, createPlan } from '@ssh-peft/hartley';
 * await loadSimd();
 * const plan = createPlan(4096); // float32 data now runs in WebAssembly SIMD where supported
 * ```
 */
export async function loadSimd(): Promise<boolean> {
  if (compiled === undefined || compiled === null) {
    try {
      if (typeof WebAssembly === 'object' && typeof atob === 'function') {
        compiled = await WebAssembly.compile(decodeBase64(DHT_SIMD_WASM_BASE64) as Uint8Array<ArrayBuffer>);
      }
    } catch {
      compiled = null;
    }
  }
  return simdAvailable();
}

/**
 * Switches the WebAssembly SIMD path on (default) or off for plans created afterwards, e.g. to
 * test or time the JavaScript path, or to get float64 arithmetic for float32 data. Plans
 * already created keep their path. Clears the functional API's plan cache.
 *
 * @example
 * ```ts
 * import { setSimdEnabled, dht } from '@ssh-peft/hartley';
 * setSimdEnabled(false); // float32 data is now transformed in float64 JavaScript
 * dht(new Float32Array(1024).fill(1));
 * setSimdEnabled(true);
 * ```
 */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
  for (const listener of listeners) listener();
}

const listeners: (() => void)[] = [];

/** Called whenever the switch changes (the plan cache clears itself). */
export function onSimdSwitch(listener: () => void): void {
  listeners.push(listener);
}
