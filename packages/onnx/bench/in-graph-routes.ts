/**
 * The two in-graph hot-swap constructions the design rejected, built only to measure them:
 * per adapted MatMul(x, W) with inputs u, v (int64 [n]) and c (float [n]) and constant cas
 * matrices C_in [d_in, d_in], C_out [d_out, d_out] (the 1/(d_in·d_out)·α scale folded into c):
 * - 'dense':    W' = W + (Gather(C_in, u, axis 1) ⊙ c) · Gather(C_out, v, axis 0)  — ΔW every run;
 * - 'factored': y' = y + ((x · Gather(C_in, u, axis 1)) ⊙ c) · Gather(C_out, v, axis 0).
 * Both equal x·(W0 + ΔW) for the separable variant (ΔW = α/(RC) · Σ_k c_k C_in[:,u_k] C_out[v_k,:]).
 */
import { decodeModel, encodeModel, type NodeProto } from '../src/proto';
import { GraphBuilder } from '../src/graph-builder';

export type InGraphRoute = 'dense' | 'factored';

function casMatrix(n: number): Float32Array {
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { const t = (2 * Math.PI * ((i * j) % n)) / n; m[i * n + j] = Math.cos(t) + Math.sin(t); }
  return m;
}

export function rewriteInGraph(bytes: Uint8Array, layers: ReadonlyArray<{ name: string; rows: number; cols: number }>, route: InGraphRoute): Uint8Array {
  const model = decodeModel(bytes);
  const graph = model.graph!;
  const g = new GraphBuilder();
  for (const n of graph.node ?? []) { g.unique(n.name ?? ''); for (const o of n.output ?? []) g.unique(o); }
  const cas = new Map<number, string>();
  const casOf = (n: number) => { if (!cas.has(n)) cas.set(n, g.floatTensor(`ssh_cas_${n}`, [n, n], casMatrix(n))); return cas.get(n)!; };
  const extraInputs = [];
  const nodes: NodeProto[] = [];
  for (const node of graph.node ?? []) {
    const layer = node.opType === 'MatMul' ? layers.find((l) => node.input?.[1] === `${l.name}/kernel`) : undefined;
    if (!layer) { nodes.push(node); continue; }
    const [u, v, c] = ['u', 'v', 'c'].map((s) => `${layer.name}.ssh_${s}`) as [string, string, string];
    extraInputs.push(
      { name: u, type: { tensorType: { elemType: 7, shape: { dim: [{ dimParam: 'n' }] } } } },
      { name: v, type: { tensorType: { elemType: 7, shape: { dim: [{ dimParam: 'n' }] } } } },
      { name: c, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }] } } } },
    );
    const before = g.nodes.length;
    const left = g.node('Gather', `${layer.name}/ssh_left`, [casOf(layer.rows), u], { axis: 1 }); // [d_in, n]
    const right = g.node('Gather', `${layer.name}/ssh_right`, [casOf(layer.cols), v], { axis: 0 }); // [n, d_out]
    if (route === 'dense') {
      const delta = g.node('MatMul', `${layer.name}/ssh_delta`, [g.node('Mul', `${layer.name}/ssh_scale`, [left, c]), right]);
      const w = g.node('Add', `${layer.name}/ssh_w`, [node.input![1]!, delta]);
      nodes.push(...g.nodes.slice(before), { ...node, input: [node.input![0]!, w] });
    } else {
      const projected = g.node('Mul', `${layer.name}/ssh_scale`, [g.node('MatMul', `${layer.name}/ssh_xl`, [node.input![0]!, left]), c]);
      const xdw = g.node('MatMul', `${layer.name}/ssh_xdw`, [projected, right]);
      const base = `${node.output![0]!}_ssh_base`;
      nodes.push(...g.nodes.slice(before), { ...node, output: [base] }, { opType: 'Add', name: `${layer.name}/ssh_add`, input: [base, xdw], output: [node.output![0]!] });
    }
  }
  graph.node = nodes;
  graph.initializer = [...(graph.initializer ?? []), ...g.initializers];
  graph.input = [...(graph.input ?? []), ...extraInputs];
  return encodeModel(model);
}
