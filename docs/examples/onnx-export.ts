/**
 * Train in Puzzle, deploy anywhere: the MNIST LeNet is trained briefly, exported to ONNX with @puzzle/onnx, and the
 * file is run by onnxruntime-node on the held-out digits. Prints both predictions side by side for the first
 * digits, then how often they agree and the largest difference between the two sets of scores. The model is
 * exported at batch 1 and run at the whole test set's batch: the batch dimension is symbolic.
 *
 *   npx tsx --tsconfig tsconfig.spec.json docs/examples/onnx-export.ts
 *   environment: PUZZLE_BACKEND=cuda|tfjs, ONNX_OUT (default <tmp>/puzzle-onnx-export); PUZZLE_EXAMPLE_QUICK=1
 *   trains on 600 digits instead of 4,000 (the test suite's smoke run of every example).
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBackend, gpuarray, type GPUArray } from '@puzzle/backend';
import { CrossEntropy } from '@puzzle/cost';
import { MnistPackageLoader, splitSamples, type LabeledSet } from '@puzzle/datasets';
import { Calculator, Trainer } from '@puzzle/handlers';
import { exportOnnx } from '@puzzle/onnx';
import { Adam } from '@puzzle/optimizers';
import * as ort from 'onnxruntime-node';
import { centred, lenet } from './shared/lenet.js';

const QUICK = process.env['PUZZLE_EXAMPLE_QUICK'] === '1';
const [TRAIN_SIZE, TEST_SIZE] = QUICK ? [600, 200] : [4000, 1000];
const OUT = process.env['ONNX_OUT'] ?? join(tmpdir(), QUICK ? `puzzle-onnx-export-quick-${process.pid}` : 'puzzle-onnx-export');
const SHOWN = 12;

/** The class of each row of (N, 10) scores. */
function argmaxRows(scores: Float32Array, classes = 10): number[] {
  return Array.from({ length: scores.length / classes }, (_, i) => {
    const row = scores.subarray(i * classes, (i + 1) * classes);
    return row.indexOf(Math.max(...row));
  });
}

async function main(): Promise<void> {
  const [trainSet, testSet] = splitSamples(await new MnistPackageLoader().load(), [TRAIN_SIZE, TEST_SIZE], { seed: 1 });
  const upload = (set: LabeledSet) => ({ data: gpuarray.toGpu(centred(set.data)), labels: gpuarray.toGpu(set.labels) });
  const [train, test] = [upload(trainSet!), upload(testSet!)];

  const net = lenet();
  const cost = new CrossEntropy();
  const optimizer = new Adam({ alpha: 2e-3 });
  optimizer.setupOn(net, { useGlobalState: true });
  new Trainer(net, cost, optimizer, { batchsize: 32 }).train(train.data, train.labels);
  console.log(`engine ${getBackend().name}: trained LeNet for one epoch on ${TRAIN_SIZE} digits (mean loss ${cost.getMeanError().toFixed(4)})`);

  const path = join(OUT, 'lenet.onnx');
  const bytes = await exportOnnx(net, { inputs: { shape: [1, 1, 28, 28] }, path });
  console.log(`exported ${path}: ${bytes.length} bytes, opset 17, batch dimension symbolic`);

  const scores = new Calculator(net, { batchsize: 250 }).calc(test.data) as GPUArray;
  const puzzleScores = scores.get().toFloat32();
  scores.dispose();
  const session = await ort.InferenceSession.create(path);
  const images = centred(testSet!.data);
  const result = await session.run({ input: new ort.Tensor('float32', images.data as Float32Array, [...images.shape]) });
  const ortScores = result['output']!.data as Float32Array;

  const [ours, theirs, labels] = [argmaxRows(puzzleScores), argmaxRows(ortScores), testSet!.labels.data];
  console.log('digit  label  Puzzle  onnxruntime');
  for (let i = 0; i < SHOWN; i++) console.log(`${String(i).padStart(5)}  ${String(labels[i]).padStart(5)}  ${String(ours[i]).padStart(6)}  ${String(theirs[i]).padStart(11)}`);

  const agree = ours.filter((p, i) => p === theirs[i]).length;
  const correct = theirs.filter((p, i) => p === labels[i]).length;
  const diff = Math.max(...puzzleScores.map((s, i) => Math.abs(s - ortScores[i]!)));
  const scale = Math.max(...puzzleScores.map(Math.abs));
  console.log(`onnxruntime agrees with Puzzle on ${agree}/${ours.length} test digits (accuracy ${(correct / ours.length).toFixed(4)}); largest score difference ${diff.toExponential(2)} (relative ${(diff / scale).toExponential(2)})`);

  await session.release();
  for (const d of [train.data, train.labels, test.data, test.labels]) d.dispose();
  for (const d of [net, cost, optimizer]) d.dispose();
  if (QUICK && !process.env['ONNX_OUT']) await rm(OUT, { recursive: true, force: true });
  // The example fails (and with it the docs test) when the two runtimes disagree.
  if (agree !== ours.length || diff / scale > 1e-4) throw new Error('onnxruntime and Puzzle disagree');
}

await main();
