import { describeEngines } from '@puzzle/testing';
import { describe, expect, it } from 'vitest';
import { exportableModules } from './converters/index.js';
import { checkExport } from '../test-support/check-export.js';
import { feedsFor, MODULE_CASES } from '../test-support/module-cases.js';

describeEngines('exportOnnx: each module alone, run by onnxruntime', () => {
  for (const c of MODULE_CASES) {
    it(`${c.name}: exported at batch 2, matches Puzzle's eval-mode output at batch 3`, async () => {
      await checkExport(c.make, { inputs: c.inputs, opset: c.opset }, feedsFor(c, 3, 5), c.name);
    });
  }
});

describe('exportOnnx: the module cases', () => {
  it('cover every exportable class', () => {
    const modules = MODULE_CASES.map((c) => c.make());
    expect([...new Set(modules.map((mod) => mod.constructor.name))].sort()).toEqual(exportableModules());
    for (const mod of modules) mod.dispose();
  });
});
