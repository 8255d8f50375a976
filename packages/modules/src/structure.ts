let version = 0;

/**
 * Counts changes to module trees: a variable set, a module added to or removed from a container, a module or a
 * variable disposed. Optimizers compare it on every step and only look at their module again when it moved, so the
 * check that a net still has the variables it was set up with costs one comparison per step.
 */
export function noteStructureChange(): void {
  version++;
}

export function structureVersion(): number {
  return version;
}
