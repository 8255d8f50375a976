import cliProgress from 'cli-progress';

/** Where progress goes: a TTY gets a live bar, anything else (a pipe, a CI log) plain lines. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Seconds between plain lines when the stream is not a TTY. */
  interval?: number;
}

interface Snapshot {
  batch: number;
  samples: number;
  /** Read lazily: asking a cost for its error may wait for the device. */
  loss?: () => number;
}

/**
 * Reports a handler's pass over its batches: batch count, mean loss and samples per second. On a TTY it drives a
 * cli-progress bar; otherwise it prints a line every `interval` seconds and one at the end.
 */
export class Progress {
  private readonly stream: ProgressStream;
  private readonly interval: number;
  private bar: cliProgress.SingleBar | null = null;
  private label = '';
  private total = 0;
  private started = 0;
  private lastLine = 0;
  private last: Snapshot = { batch: 0, samples: 0 };

  constructor(opts: ProgressOptions = {}) {
    this.stream = opts.stream ?? process.stdout;
    this.interval = opts.interval ?? 10;
  }

  start(label: string, totalBatches: number): void {
    this.label = label;
    this.total = totalBatches;
    this.started = this.lastLine = performance.now();
    this.last = { batch: 0, samples: 0 };
    if (!this.stream.isTTY) return;
    const format = '{label} |{bar}| batch {value}/{total} | loss {loss} | {rate} samples/s | eta {eta_formatted}';
    const options = { stream: this.stream as NodeJS.WritableStream, format, hideCursor: false, fps: 10 };
    this.bar = new cliProgress.SingleBar(options, cliProgress.Presets.shades_classic);
    this.bar.start(totalBatches, 0, { label, loss: '-', rate: '-' });
  }

  update(snapshot: Snapshot): void {
    this.last = snapshot;
    const now = performance.now();
    if (this.bar) {
      this.bar.update(snapshot.batch, this.payload(now));
    } else if ((now - this.lastLine) / 1000 >= this.interval) {
      this.lastLine = now;
      this.stream.write(`${this.line(now)}\n`);
    }
  }

  stop(): void {
    const now = performance.now();
    if (this.bar) {
      this.bar.update(this.last.batch, this.payload(now));
      this.bar.stop();
      this.bar = null;
    } else {
      this.stream.write(`${this.line(now)} (${((now - this.started) / 1000).toFixed(1)} s)\n`);
    }
  }

  private payload(now: number): { label: string; loss: string; rate: string } {
    return { label: this.label, loss: this.loss(), rate: this.rate(now) };
  }

  private line(now: number): string {
    return `${this.label}: batch ${this.last.batch}/${this.total}, loss ${this.loss()}, ${this.rate(now)} samples/s`;
  }

  private loss(): string {
    return this.last.loss ? this.last.loss().toFixed(4) : '-';
  }

  private rate(now: number): string {
    const seconds = (now - this.started) / 1000;
    return seconds > 0 ? Math.round(this.last.samples / seconds).toString() : '-';
  }
}
