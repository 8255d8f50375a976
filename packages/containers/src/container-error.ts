import { ModuleError } from '@puzzle/modules';

/**
 * Raised by containers for bad structure and for failures of their children (the message names the child and
 * keeps the child's own message). A ModuleError too, as in PuzzleLib, so one catch covers both.
 */
export class ContainerError extends ModuleError {
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'ContainerError';
    if (cause !== undefined) this.cause = cause;
  }
}
