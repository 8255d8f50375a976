import type { Module, ShapeOf } from '@puzzle/modules';

/** What Module.call checks before it runs: its protected checkDataShape. Nothing runs here, so it is called directly. */
interface ShapeChecked {
  checkDataShape(shape: ShapeOf): void;
}

/** A module's output shape for an input shape, after the checks a call would make (a ModuleError when they fail). */
export function checkedOutputShape(mod: Module, shape: ShapeOf): ShapeOf {
  (mod as unknown as ShapeChecked).checkDataShape(shape);
  return mod.dataShapeFrom(shape);
}
