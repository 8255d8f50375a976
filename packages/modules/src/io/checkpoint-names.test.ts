import { describe, expect, it } from 'vitest';
import { Linear } from '../linear.js';
import { attrName, containerAttrGroup, linkName, shortenPath } from './checkpoint-names.js';

describe('checkpoint names', () => {
  it('spell links as PuzzleLib: root name, then ".child" per level, then ".param"', () => {
    const unnamed = new Linear(2, 2, { empty: true });
    const named = new Linear(2, 2, { empty: true, name: 'fc' });
    expect(linkName(unnamed, 'W')).toBe('.W');
    expect(linkName(named, 'W')).toBe('fc.W');
    expect(linkName(unnamed, '0.W')).toBe('.0.W');
    expect(linkName(unnamed, '2.0.b')).toBe('.2.0.b');
    expect(linkName(named, '1.W')).toBe('fc.1.W');
    expect(attrName('.3', 'mean')).toBe('.3.mean');
    expect(containerAttrGroup('')).toBe('attrs.');
    expect(containerAttrGroup('.2')).toBe('attrs..2');
    for (const m of [unnamed, named]) m.dispose();
  });

  it('shorten module paths to first and last token under assumeUniqueNames, quirks included', () => {
    const unnamed = new Linear(2, 2, { empty: true });
    const named = new Linear(2, 2, { empty: true, name: 'fc' });
    expect(linkName(unnamed, '2.0.W', true)).toBe('.0.W');
    expect(linkName(unnamed, 'W', true)).toBe('.W');
    // PuzzleLib splits a lone root name into one token and repeats it.
    expect(linkName(named, 'W', true)).toBe('fc.fc.W');
    expect(shortenPath('net.a.b.c', true)).toBe('net.c');
    expect(shortenPath('net.a.b.c', false)).toBe('net.a.b.c');
    for (const m of [unnamed, named]) m.dispose();
  });
});
