import { structureVersion, type Module, type Variable, type VariableOwner } from '@puzzle/modules';

const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * The variables an optimizer was set up with, claimed for it (`variable.owner`), and a check that its module still
 * has exactly those: a layer appended after setupOn would never be trained, and a disposed one would be updated
 * through dead arrays (or, in global state, not at all), both without a sound.
 */
export class VariableWatch {
  private readonly names = new Map<Variable, string>();
  private version = structureVersion();

  constructor(
    private readonly module: Module,
    private readonly owner: VariableOwner,
  ) {
    for (const [v, names] of module.getVarTable()) {
      this.names.set(v, names[0]!);
      v.owner = owner;
    }
  }

  /** What changed since setup, as a sentence, or null when nothing did. One comparison unless a module tree moved. */
  changes(): string | null {
    if (structureVersion() === this.version) return null;
    const now = this.module.getVarTable();
    const added = [...now].filter(([v]) => !this.names.has(v)).map(([, names]) => names[0]!);
    const gone = [...this.names].filter(([v]) => !now.has(v) || v.data.isDisposed).map(([, name]) => name);
    if (added.length === 0 && gone.length === 0) {
      this.version = structureVersion();
      return null;
    }
    const what = this.module.describe();
    if (now.size === 0) return `${what} has no variables left (was it disposed?) since setupOn`;
    const parts = [];
    if (added.length > 0) parts.push(`${what} gained variables since setupOn, which would never be trained: ${quoted(added)}`);
    if (gone.length > 0) parts.push(`variables of ${what} were removed or disposed since setupOn: ${quoted(gone)}`);
    return parts.join('; ');
  }

  /** The names, among `table`'s variables, of those another live optimizer owns, by owner. */
  static heldByOthers(table: Map<Variable, string[]>, self: VariableOwner): Map<VariableOwner, string[]> {
    const held = new Map<VariableOwner, string[]>();
    for (const [v, names] of table) {
      if (v.owner === null || v.owner === self) continue;
      held.set(v.owner, [...(held.get(v.owner) ?? []), names[0]!]);
    }
    return held;
  }

  /** Gives the variables up (dispose): they may then be set up on another optimizer. */
  release(): void {
    for (const v of this.names.keys()) if (v.owner === this.owner) v.owner = null;
  }
}
