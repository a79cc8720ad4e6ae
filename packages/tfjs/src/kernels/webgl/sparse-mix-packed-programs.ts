/**
 * The sparse-mix programs in tfjs's packed texture layout (each RGBA texel of a 2-D tensor
 * holds the 2×2 block rows r..r+1, columns c..c+1; of a 1-D tensor the pair i, i+1 in .xy).
 * The DHT passes that produce and consume the mix's activations are packed
 * (./hartley-pass-program.ts), so packed mix programs spare tfjs a pack/unpack conversion
 * on each side, and every fetch of x (or dy) serves two tokens.
 *
 * - terms: ES[i] = (weight[i] · c[coef[i]], source[i]) as one [m, 2] texture, so the mix
 *   reads a term's factor and source column with one fetch.
 * - mix: one fragment per texel of out [T, V]: tokens t, t+1 and columns v, v+1, each column
 *   a loop over its grouped terms (one ES fetch and one x fetch per term for two outputs);
 *   the offsets texel of v holds both bounds of column v.
 * - coefficient gradient: partial sums over chunks of {@link COEF_GRAD_CHUNK} tokens, one
 *   fragment per two chunks × two coefficients, each a loop over its terms and the chunk's
 *   token pairs (one x and one dy fetch per two tokens); then a sum over the chunks.
 *
 * Padding lanes (row t+1 = T, column v+1 = V, term m, coefficient k+1 = n) are written as
 * 0, as tfjs's pack program does: packed matMul multiplies them, so garbage there would
 * reach real outputs as soon as it is not finite.
 */

/** Structural copy of tfjs-backend-webgl's GPGPUProgram (only the members used). */
export interface WebGLMixProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs?: boolean;
  packedOutput?: boolean;
}

/** Lane of element i in a packed 1-D texel. */
const PAIR_LANE = `
  float lane(vec4 v, int i) {
    return (i & 1) == 0 ? v.x : v.y;
  }
`;

/** Both rows of column c in a packed 2-D texel. */
const COLUMN_PAIR = `
  vec2 columnPair(vec4 v, int c) {
    return (c & 1) == 0 ? v.xz : v.yw;
  }
`;

/**
 * ES [m, 2] = (weight · c[coef], source) per grouped term. Inputs: `C` [n], `CW` [m, 2]
 * (coef, weight), `Src` [m].
 */
export function packedTermProgram(m: number): WebGLMixProgram {
  return {
    variableNames: ['C', 'CW', 'Src'],
    outputShape: [m, 2],
    userCode: `
      ${PAIR_LANE}
      void main() {
        int i = getOutputCoords().x;
        vec4 cw = getCW(i, 0);
        vec4 src = getSrc(i);
        int k0 = int(cw.x + 0.5);
        vec4 result = vec4(cw.y * lane(getC(k0), k0), src.x, 0.0, 0.0);
        if (i + 1 < ${m}) {
          int k1 = int(cw.z + 0.5);
          result.zw = vec2(cw.w * lane(getC(k1), k1), src.y);
        }
        setOutput(result);
      }
    `,
    packedInputs: true,
    packedOutput: true,
  };
}

/** out [T, V] from `X` [T, d], `ES` [m, 2] (./packedTermProgram) and `Off` [V + 1] (term range of each column). */
export function packedMixProgram(tokens: number, outSize: number): WebGLMixProgram {
  return {
    variableNames: ['X', 'ES', 'Off'],
    outputShape: [tokens, outSize],
    userCode: `
      ${COLUMN_PAIR}
      vec2 column(int t, int begin, int end) {
        vec2 acc = vec2(0.0);
        for (int i = begin; i < end; i++) {
          vec4 es = getES(i, 0);
          vec2 term = (i & 1) == 0 ? es.xy : es.zw;
          int src = int(term.y + 0.5);
          acc += term.x * columnPair(getX(t, src), src);
        }
        return acc;
      }
      void main() {
        ivec2 coords = getOutputCoords();
        int t = coords.x;
        int v = coords.y;
        // v is even: its offsets texel holds off[v] and off[v + 1].
        vec4 bounds = getOff(v);
        int mid = int(bounds.y + 0.5);
        vec2 c0 = column(t, int(bounds.x + 0.5), mid);
        vec2 c1 = vec2(0.0);
        if (v + 1 < ${outSize}) {
          c1 = column(t, mid, int(getOff(v + 2).x + 0.5));
        }
        vec4 result = vec4(c0.x, c1.x, c0.y, c1.y);
        if (t + 1 >= ${tokens}) { result.zw = vec2(0.0); }
        setOutput(result);
      }
    `,
    packedInputs: true,
    packedOutput: true,
  };
}

/**
 * Tokens per chunk of the coefficient gradient's first program: the reduction over T tokens
 * is split into ⌈T/chunk⌉ partial sums so that the program has (chunks/2)·(n/2) fragments
 * over several texture rows instead of n/2 fragments each looping over all T tokens in
 * one row (which SwiftShader runs on one thread). Even, so token pairs never straddle chunks.
 */
export const COEF_GRAD_CHUNK = 32;

/** Number of token chunks of the coefficient gradient for `tokens` tokens. */
export function coefGradChunks(tokens: number): number {
  return Math.ceil(tokens / COEF_GRAD_CHUNK);
}

/**
 * Partial sums P [C, n] (C = {@link coefGradChunks}) of the coefficient gradient:
 * P[ch, k] = Σ_{i in terms of k} weight[i] · Σ_{t in chunk ch} x[t, gather[i]] · dy[t, scatter[i]].
 * Inputs `X` [T, d_in], `Dy` [T, d_out], `Off` [n + 1] (term range of each coefficient),
 * `GS` [m, 2] (gather, scatter), `W` [m]. One fragment per texel: chunks ch, ch+1 ×
 * coefficients k, k+1, one x and one dy fetch per token pair and term.
 */
export function packedCoefGradPartialProgram(tokens: number, count: number): WebGLMixProgram {
  const chunks = coefGradChunks(tokens);
  const half = COEF_GRAD_CHUNK / 2;
  // The last token of an odd count sits beside a padding row, whose lanes need not be 0 in x or dy.
  const lastToken =
    tokens % 2 === 1
      ? `if (t0 + ${COEF_GRAD_CHUNK} >= ${tokens}) {
          part += columnPair(getX(${tokens - 1}, g), g).x * columnPair(getDy(${tokens - 1}, s), s).x;
        }`
      : '';
  return {
    variableNames: ['X', 'Dy', 'Off', 'GS', 'W'],
    outputShape: [chunks, count],
    userCode: `
      ${PAIR_LANE}
      ${COLUMN_PAIR}
      // Σ over the token pairs of chunk ch of x[t, g]·dy[t, s] (0 for the padding chunk).
      float chunkDot(int g, int s, int ch) {
        int t0 = ch * ${COEF_GRAD_CHUNK};
        float part = 0.0;
        if (t0 >= ${tokens}) { return 0.0; }
        for (int i = 0; i < ${half}; i++) {
          int t = t0 + 2 * i;
          if (t + 1 >= ${tokens}) { break; }
          part += dot(columnPair(getX(t, g), g), columnPair(getDy(t, s), s));
        }
        ${lastToken}
        return part;
      }
      // Both chunks' partial sums of the coefficient whose terms are [begin, end).
      vec2 coefficient(int begin, int end, int ch) {
        vec2 acc = vec2(0.0);
        for (int i = begin; i < end; i++) {
          vec4 gs = getGS(i, 0);
          vec2 term = (i & 1) == 0 ? gs.xy : gs.zw;
          int g = int(term.x + 0.5);
          int s = int(term.y + 0.5);
          acc += lane(getW(i), i) * vec2(chunkDot(g, s, ch), chunkDot(g, s, ch + 1));
        }
        return acc;
      }
      void main() {
        ivec2 coords = getOutputCoords();
        int ch = coords.x;
        int k = coords.y;
        // k is even: its offsets texel holds off[k] and off[k + 1].
        vec4 bounds = getOff(k);
        int mid = int(bounds.y + 0.5);
        vec2 g0 = coefficient(int(bounds.x + 0.5), mid, ch);
        vec2 g1 = vec2(0.0);
        if (k + 1 < ${count}) {
          g1 = coefficient(mid, int(getOff(k + 2).x + 0.5), ch);
        }
        // Lanes: (ch, k), (ch, k+1), (ch+1, k), (ch+1, k+1); chunkDot is 0 past the last chunk.
        setOutput(vec4(g0.x, g1.x, g0.y, g1.y));
      }
    `,
    packedInputs: true,
    packedOutput: true,
  };
}

/** g [n] = Σ over the C rows of `P` [C, n] (./packedCoefGradPartialProgram's output). */
export function packedChunkSumProgram(chunks: number, count: number): WebGLMixProgram {
  return {
    variableNames: ['P'],
    outputShape: [count],
    userCode: `
      void main() {
        int k = getOutputCoords();
        vec2 acc = vec2(0.0);
        // Each texel holds two chunk rows of coefficients k, k+1 (zero past the last chunk and coefficient).
        for (int c = 0; c < ${chunks}; c += 2) {
          vec4 p = getP(c, k);
          acc += p.xy + p.zw;
        }
        setOutput(vec4(acc, 0.0, 0.0));
      }
    `,
    packedInputs: true,
    packedOutput: true,
  };
}
