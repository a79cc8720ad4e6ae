/**
 * WebGPU programs of one Hartley pass (formula in ../gpu-common/hartley-pass-plan.ts).
 *
 * - butterfly (radix ≤ {@link MAX_BUTTERFLY_RADIX}): one thread per group of p outputs
 *   k' + Lp·m (m < p) that share the same 2p reads; the p-th roots of unity are literals.
 *   With uₜ = c·aₜ + s·bₜ and vₜ = c·bₜ − s·aₜ (c, s = cos, sin of 2πk'ₜ/L) every output
 *   is u₀ + Σₜ cos(2πmt/p)·uₜ + sin(2πmt/p)·vₜ.
 * - gather (any radix, e.g. a prime 43 of 11008 or the direct pass of a short row): one
 *   thread per output, a loop over the p terms.
 * Constants of the schedule are baked into the source and named in `shaderKey` (tfjs
 * caches pipelines by key and input ranks only); the scale is a uniform.
 */
import type { HartleyPass } from '../gpu-common/hartley-pass-plan';
import { butterflyRoots } from './butterfly-roots';
import type { WebGPUProgramLike } from './webgpu-program';

/** Radices up to this use the butterfly program (p² literal terms stay small). */
export const MAX_BUTTERFLY_RADIX = 16;

const WORKGROUP_SIZE = 64;

/** A pass program: every pass takes its scale as a program-defined uniform. */
export type WebGPUPassProgram = WebGPUProgramLike & { uniforms: string };

function literal(x: number): string {
  const s = Math.abs(x).toPrecision(9);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** `coef·term` as WGSL, folding 0 and ±1 so radix 2 and 4 need no multiplies. */
function scaledTerm(coef: number, term: string): string {
  if (coef === 0) return '';
  const sign = coef < 0 ? '-' : '+';
  return Math.abs(coef) === 1 ? ` ${sign} ${term}` : ` ${sign} ${literal(coef)} * ${term}`;
}

function butterflyCode(n: number, pass: HartleyPass): string {
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  const roots = butterflyRoots(p);
  const lines: string[] = [];
  for (let t = 0; t < p; t++) {
    const base = `rowBase + (j + ${r * t}) * ${lp}`;
    if (lp === 1) {
      // Every sub-transform has length 1: no twiddles, a and b are the same element.
      lines.push(`let u${t} = A[${base}];`, `let v${t} = u${t};`);
    } else {
      lines.push(`let a${t} = A[${base} + kp];`, `let b${t} = A[${base} + kn];`);
      if (t === 0) {
        lines.push(`let u0 = a0;`);
      } else {
        lines.push(
          `let c${t} = Tw[${2 * t * r} * kp];`,
          `let s${t} = Tw[${2 * t * r} * kp + 1];`,
          `let u${t} = c${t} * a${t} + s${t} * b${t};`,
          `let v${t} = c${t} * b${t} - s${t} * a${t};`,
        );
      }
    }
  }
  for (let m = 0; m < p; m++) {
    let expr = 'u0';
    for (let t = 1; t < p; t++) {
      const i = (m * t) % p;
      expr += scaledTerm(roots.cos[i], `u${t}`) + scaledTerm(roots.sin[i], `v${t}`);
    }
    lines.push(`setOutputAtIndex(rowBase + j * ${l} + kp + ${lp * m}, (${expr}) * uniforms.scale);`);
  }
  return `
    fn main(index : i32) {
      if (index < uniforms.size / ${p}) {
        let row = index / ${n / p};
        let th = index - row * ${n / p};
        let j = th / ${lp};
        let kp = th - j * ${lp};
        let kn = select(${lp} - kp, 0, kp == 0);
        let rowBase = row * ${n};
        ${lines.join('\n        ')}
      }
    }
  `;
}

function gatherCode(n: number, pass: HartleyPass): string {
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  const term =
    lp === 1
      ? `acc = acc + (Tw[t] + Tw[t + 1]) * A[base];`
      : `acc = acc + Tw[t] * A[base + kp] + Tw[t + 1] * A[base + kn];`;
  return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let row = index / ${n};
        let q = index - row * ${n};
        let j = q / ${l};
        let k = q - j * ${l};
        let kp = k % ${lp};
        let kn = select(${lp} - kp, 0, kp == 0);
        var base = row * ${n} + j * ${lp};
        var acc = A[base + kp];
        var m = 0;
        for (var i = 1; i < ${p}; i = i + 1) {
          base = base + ${r * lp};
          // m = k·i mod L, advanced without a multiply-and-mod per term.
          m = m + k;
          if (m >= ${l}) { m = m - ${l}; }
          let t = 2 * m * ${r};
          ${term}
        }
        setOutputAtIndex(index, acc * uniforms.scale);
      }
    }
  `;
}

/**
 * The program of `pass` over a [rows, n] buffer; inputs `A` (previous buffer) and, when
 * `variableNames` lists it, `Tw` (twiddles).
 */
export function createWebGPUPassProgram(rows: number, n: number, pass: HartleyPass): WebGPUPassProgram {
  const butterfly = pass.radix > 1 && pass.radix <= MAX_BUTTERFLY_RADIX;
  const threads = butterfly ? (rows * n) / pass.radix : rows * n;
  // A first-pass butterfly needs no twiddles; an unread binding would be stripped from
  // the pipeline's auto layout and the bind group would no longer match it.
  const usesTwiddles = !(butterfly && pass.inLength === 1);
  return {
    variableNames: usesTwiddles ? ['A', 'Tw'] : ['A'],
    outputShape: [rows, n],
    shaderKey: `sshDht_${butterfly ? 'butterfly' : 'gather'}_n${n}_p${pass.radix}_lp${pass.inLength}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(threads / WORKGROUP_SIZE), 1, 1],
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    size: true,
    uniforms: 'scale : f32,',
    getUserCode: () => (butterfly ? butterflyCode(n, pass) : gatherCode(n, pass)),
  };
}
