import { describe, expect, it } from 'vitest';
import { Progress, type ProgressStream } from './progress.js';

function captureStream(isTTY: boolean): ProgressStream & { text: string } {
  const stream = { text: '', isTTY, columns: 120, write: (s: string) => ((stream.text += s), true) };
  return stream;
}

describe('Progress', () => {
  it('prints plain lines with batch, loss and rate when the stream is not a TTY', () => {
    const stream = captureStream(false);
    const progress = new Progress({ stream, interval: 0 });
    let reads = 0;
    progress.start('epoch 2', 3);
    for (let b = 1; b <= 3; b++) progress.update({ batch: b, samples: 8 * b, loss: () => (reads++, 1 / b) });
    progress.stop();
    const lines = stream.text.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^epoch 2: batch 1\/3, loss 1\.0000, \d+ samples\/s$/);
    expect(lines[3]).toMatch(/^epoch 2: batch 3\/3, loss 0\.3333, \d+ samples\/s \(\d+\.\d s\)$/);
    expect(stream.text).not.toContain('\x1B');
    expect(reads).toBe(4);
  });

  it('prints only the closing line within the interval, reading the loss once', () => {
    const stream = captureStream(false);
    const progress = new Progress({ stream, interval: 3600 });
    let reads = 0;
    progress.start('train', 50);
    for (let b = 1; b <= 50; b++) progress.update({ batch: b, samples: b, loss: () => (reads++, 0.5) });
    progress.stop();
    expect(stream.text.trim().split('\n')).toHaveLength(1);
    expect(reads).toBe(1);
  });

  it('draws a cli-progress bar on a TTY', () => {
    const stream = captureStream(true);
    const progress = new Progress({ stream });
    progress.start('epoch 1', 4);
    for (let b = 1; b <= 4; b++) progress.update({ batch: b, samples: 16 * b, loss: () => 0.25 });
    progress.stop();
    expect(stream.text).toContain('\x1B');
    expect(stream.text).toMatch(/epoch 1 \|[█░]+\| batch 4\/4 \| loss 0\.2500 \| \d+ samples\/s/);
  });
});
