import { memoryStats } from '@puzzle/backend';
import { expect } from 'vitest';

export function liveBuffers(): number {
  return memoryStats().liveBuffers;
}

/** Runs `fn` and asserts that every device buffer it allocated was released. */
export function expectNoLeak<T>(fn: () => T): T {
  const before = liveBuffers();
  const result = fn();
  expect(liveBuffers(), 'live device buffers after the block').toBe(before);
  return result;
}
