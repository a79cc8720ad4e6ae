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
 * - coefficient gradient: one fragment per coefficient pair k, k+1, each a loop over its
 *   terms and over token pairs (one x and one dy fetch per two tokens).
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
 * g [n] from `X` [T, d_in], `Dy` [T, d_out], `Off` [n + 1] (term range of each coefficient),
 * `GS` [m, 2] (gather, scatter) and `W` [m].
 */
export function packedCoefGradProgram(tokens: number, count: number): WebGLMixProgram {
  const pairedTokens = tokens - (tokens % 2);
  // The last token of an odd count sits beside a padding row, whose lanes need not be 0 in x or dy.
  const lastToken =
    tokens % 2 === 1 ? `part += columnPair(getX(${tokens - 1}, g), g).x * columnPair(getDy(${tokens - 1}, s), s).x;` : '';
  return {
    variableNames: ['X', 'Dy', 'Off', 'GS', 'W'],
    outputShape: [count],
    userCode: `
      ${PAIR_LANE}
      ${COLUMN_PAIR}
      float coefficient(int begin, int end) {
        float acc = 0.0;
        for (int i = begin; i < end; i++) {
          vec4 gs = getGS(i, 0);
          vec2 term = (i & 1) == 0 ? gs.xy : gs.zw;
          int g = int(term.x + 0.5);
          int s = int(term.y + 0.5);
          float part = 0.0;
          for (int t = 0; t < ${pairedTokens}; t += 2) {
            part += dot(columnPair(getX(t, g), g), columnPair(getDy(t, s), s));
          }
          ${lastToken}
          acc += lane(getW(i), i) * part;
        }
        return acc;
      }
      void main() {
        int k = getOutputCoords();
        // k is even: its offsets texel holds off[k] and off[k + 1].
        vec4 bounds = getOff(k);
        int mid = int(bounds.y + 0.5);
        float g0 = coefficient(int(bounds.x + 0.5), mid);
        float g1 = 0.0;
        if (k + 1 < ${count}) {
          g1 = coefficient(mid, int(getOff(k + 2).x + 0.5));
        }
        setOutput(vec4(g0, g1, 0.0, 0.0));
      }
    `,
    packedInputs: true,
    packedOutput: true,
  };
}
