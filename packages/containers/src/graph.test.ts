import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { Activation, Add, Concat, Identity, Linear, Replicate, Split } from '@puzzle/modules';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, matmul64, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ContainerError } from './container-error.js';
import { Graph } from './graph.js';
import { Parallel } from './parallel.js';
import { Sequential } from './sequential.js';

const host64 = (a: GPUArray) => Float64Array.from(a.get().toFloat32());

/** PuzzleLib's calcTest graph, scaled down: Split slots and Concat across two inputs. */
function calcGraph(): Graph {
  const v1 = new Linear(10, 8, { name: 'v1' }).node();
  const h1 = new Split(1, [3, 3, 2], { name: 'h1' }).node(v1);
  const v2 = new Linear(10, 8, { name: 'v2' }).node();
  const h2 = new Concat(1, { name: 'h2' }).node([h1, [1, 2]], v2);
  const h3 = new Activation('relu', { name: 'h3' }).node(h2);
  const h4 = new Concat(1, { name: 'h4' }).node([h1, 0], h3);
  return new Graph({ inputs: [v1, v2], outputs: h4 });
}

/** Linear–sigmoid feeding two Linears whose outputs are concatenated, as a Sequential and as a Graph. */
function matchPair(): { seq: Sequential; graph: Graph } {
  const seq = new Sequential()
    .append(new Linear(16, 8, { name: 'linear-1' }))
    .append(new Activation('sigmoid'))
    .append(new Replicate(2))
    .append(new Parallel().append(new Linear(8, 5, { name: 'linear-2' })).append(new Linear(8, 3, { name: 'linear-3' })))
    .append(new Concat(1));
  const v1 = new Linear(16, 8, { name: 'linear-1' }).node();
  const h1 = new Activation('sigmoid').node(v1);
  const h2 = new Linear(8, 5, { name: 'linear-2' }).node(h1);
  const h3 = new Linear(8, 3, { name: 'linear-3' }).node(h1);
  const graph = new Graph({ inputs: v1, outputs: new Concat(1).node(h2, h3) });
  for (const name of ['linear-1', 'linear-2', 'linear-3']) {
    const [from, to] = [seq.getByName(name) as Linear, graph.getByName(name) as Linear];
    from.b!.set(randomData([from.outsize], name.length + 30).host);
    to.W.set(from.W);
    to.b!.set(from.b!);
  }
  return { seq, graph };
}

describeEngines('Graph', () => {
  it('calcTest: two inputs through Split slots and Concat; shapes agree with dataShapeFrom/gradShapeFrom', () => {
    const graph = calcGraph();
    const inputs = [1, 2].map((s) => gpuarray.toGpu(randomData([5, 10], s).host));
    const out = graph.call(inputs) as GPUArray;
    expect(out.shape).toEqual([5, 16]);
    expect(graph.dataShapeFrom([[5, 10], [5, 10]])).toEqual([5, 16]);
    const g = gpuarray.toGpu(randomData([5, 16], 3).host);
    graph.backward(g);
    const grads = graph.grad as GPUArray[];
    expect(grads.map((x) => x.shape)).toEqual([[5, 10], [5, 10]]);
    expect(graph.gradShapeFrom([5, 16])).toEqual([[5, 10], [5, 10]]);
    expect(graph.getNodeByName('h3').module).toBe(graph.getByName('h3'));
    expect(() => graph.getNodeByName('nope')).toThrow(ContainerError);
    graph.dispose();
    [...inputs, g].forEach((a) => a.dispose());
  });

  it('calcTest: the whole graph matches finite differences (inputs and parameters)', () => {
    const graph = calcGraph();
    graph.getVar('v1.b').data.set(randomData([8], 4).host);
    checkModuleGradients(graph, [HostArray.randn([3, 10], { seed: 5 }), HostArray.randn([3, 10], { seed: 6 })], { asList: true, eps: 1e-3 });
    graph.dispose();
  });

  it('matchTest: fan-out in a Graph equals Replicate + Parallel in a Sequential', () => {
    const { seq, graph } = matchPair();
    const x = gpuarray.toGpu(randomData([6, 16], 7).host);
    const g = gpuarray.toGpu(randomData([6, 8], 8).host);
    expectClose((graph.call(x) as GPUArray).get().data, host64(seq.call(x) as GPUArray), TOLERANCES.float32, 'outputs');
    seq.zeroGradParams();
    graph.zeroGradParams();
    seq.backward(g);
    graph.backward(g);
    expectClose((graph.grad as GPUArray).get().data, host64(seq.grad as GPUArray), TOLERANCES.float32, 'input grads');
    for (const name of ['linear-1.W', 'linear-1.b', 'linear-2.W']) {
      const fromSeq = name.startsWith('linear-1') ? seq.getVar(name) : seq.getVar(`3.${name}`);
      expectClose(graph.getVar(name).grad!.get().data, host64(fromSeq.grad!), TOLERANCES.float32, `${name}.grad`);
    }
    seq.dispose();
    graph.dispose();
    x.dispose();
    g.dispose();
  });

  it('sums fan-out gradients in float64 terms: y = x + x·W gives dx = g + g·Wᵀ', () => {
    const x = new Identity({ name: 'x' }).node();
    const lin = new Linear(4, 4, { name: 'lin', useBias: false }).node(x);
    const graph = new Graph({ inputs: x, outputs: new Add({ name: 'sum' }).node(x, lin) });
    const xs = randomData([3, 4], 9);
    const gs = randomData([3, 4], 10);
    const xd = gpuarray.toGpu(xs.host);
    const gd = gpuarray.toGpu(gs.host);
    const W = host64((graph.getByName('lin') as Linear).W);
    expectClose((graph.call(xd) as GPUArray).get().data, matmul64(xs.f64, W, 3, 4, 4).map((v, i) => v + xs.f64[i]!), TOLERANCES.float32);
    graph.backward(gd);
    const expected = matmul64(gs.f64, W, 3, 4, 4, false, true).map((v, i) => v + gs.f64[i]!);
    expectClose((graph.grad as GPUArray).get().data, expected, TOLERANCES.float32);
    checkModuleGradients(graph, [xs.host]);
    graph.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('gives zero gradient to an output slot nobody consumes; a lone slot edge passes the array itself', () => {
    const split = new Split(1, [2, 3], { name: 'split' }).node();
    const lin = new Linear(2, 4, { name: 'lin' }).node([split, 0]);
    const graph = new Graph({ inputs: split, outputs: lin });
    const x = randomData([3, 5], 11);
    const g = randomData([3, 4], 12);
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    expect((graph.call(xd) as GPUArray).shape).toEqual([3, 4]);
    graph.backward(gd);
    const dx = matmul64(g.f64, host64((graph.getByName('lin') as Linear).W), 3, 4, 2, false, true);
    const expected = Array.from({ length: 15 }, (_, k) => (k % 5 < 2 ? dx[Math.floor(k / 5) * 2 + (k % 5)]! : 0));
    expectClose((graph.grad as GPUArray).get().data, expected, TOLERANCES.float32);
    expect(graph.gradShapeFrom([3, 4])).toEqual([3, 5]);
    graph.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('updGrad = false only spares the input nodes; parameter grads accumulate with momentum 1', () => {
    const graph = calcGraph();
    const inputs = [1, 2].map((s) => gpuarray.toGpu(randomData([2, 10], s).host));
    const g = gpuarray.toGpu(randomData([2, 16], 3).host);
    graph.call(inputs);
    graph.zeroGradParams();
    graph.backward(g, { updGrad: false });
    expect(graph.grad).toBeNull();
    expect(graph.getByName('v1')!.grad).toBeNull();
    expect(graph.getByName('h2')!.grad).not.toBeNull();
    const fresh = host64(graph.getVar('v2.W').grad!);
    expect(fresh.some((v) => v !== 0)).toBe(true);
    graph.backward(g);
    expectClose(graph.getVar('v2.W').grad!.get().data, fresh.map((v) => 2 * v), TOLERANCES.float32);
    graph.dispose();
    [...inputs, g].forEach((a) => a.dispose());
  });

  it('keeps live buffers flat over forward/backward loops with fan-out sums', () => {
    const { graph } = matchPair();
    const x = gpuarray.toGpu(randomData([3, 16], 13).host);
    const g = gpuarray.toGpu(randomData([3, 8], 14).host);
    graph.call(x);
    graph.backward(g);
    expectNoLeak(() => {
      for (let i = 0; i < 4; i++) {
        graph.call(x);
        graph.zeroGradParams();
        graph.backward(g);
      }
    });
    graph.dispose();
    x.dispose();
    g.dispose();
  });

  it('names the failing node and both shapes', () => {
    const graph = calcGraph();
    const good = gpuarray.zeros([2, 10]);
    const bad = gpuarray.zeros([2, 9]);
    expect(() => graph.call([good, bad])).toThrow(ContainerError);
    expect(() => graph.call([good, bad])).toThrow(/node 'v2' \(Linear 'v2'\): Linear 'v2': expects input width 10, got \(2, 9\)/);
    expect(() => graph.call(good)).toThrow(/expects a list of 2 inputs/);
    graph.dispose();
    good.dispose();
    bad.dispose();
  });

  it('nodesOnly keeps the modules out of the container but still runs them', () => {
    const lin = new Linear(3, 2, { name: 'lin' });
    const input = lin.node();
    const act = new Activation('tanh', { name: 'act' });
    const graph = new Graph({ inputs: input, outputs: act.node(input), nodesOnly: true });
    expect(graph.modules.size).toBe(0);
    expect([...graph.nodes.keys()]).toEqual(['lin', 'act']);
    const x = randomData([2, 3], 15);
    const xd = gpuarray.toGpu(x.host);
    const W = host64(lin.W);
    const expected = matmul64(x.f64, W, 2, 3, 2).map(Math.tanh);
    expectClose((graph.call(xd) as GPUArray).get().data, expected, TOLERANCES.float32);
    const unnamed = new Linear(3, 2).node();
    expect(() => new Graph({ inputs: unnamed, outputs: new Identity({ name: 'i' }).node(unnamed), nodesOnly: true })).toThrow(/has no name/);
    graph.reset();
    expect(lin.data).toBeNull();
    [lin, act, unnamed.module].forEach((m) => m.dispose());
    xd.dispose();
  });

  it('rejects malformed graphs with ContainerErrors', () => {
    const a = new Identity({ name: 'a' }).node();
    const b = new Identity({ name: 'b' }).node(a);
    const c = new Identity({ name: 'c' }).node(b);
    expect(() => new Graph({ inputs: b, outputs: c })).toThrow(/input nodes have parents: node 'b'/);
    expect(() => new Graph({ inputs: a, outputs: b })).toThrow(/output nodes have children: node 'b'/);
    const lone = new Identity({ name: 'lone' }).node();
    expect(() => new Graph({ inputs: a, outputs: [c, lone] })).toThrow(/not reachable from the inputs: node 'lone'/);
    const d = new Identity({ name: 'd' }).node();
    new Identity({ name: 'e' }).node(a);
    expect(() => new Graph({ inputs: [d], outputs: new Identity({ name: 'f' }).node(d) })).not.toThrow();
    expect(() => new Graph({ inputs: a, outputs: c })).toThrow(/node 'e' leads to no output/);
    const shared = new Identity({ name: 's' });
    const p = shared.node();
    expect(() => new Graph({ inputs: p, outputs: shared.node(p) })).toThrow(/sits in two nodes/);
    const x = new Identity({ name: 'x' }).node();
    const y = new Identity({ name: 'y' }).node(x);
    const inplace = new Activation('relu', { inplace: true, name: 'ip' }).node(x);
    expect(() => new Graph({ inputs: x, outputs: new Add({ name: 'z' }).node(y, inplace) })).toThrow(/in-place node 'ip'/);
  });
});
