type H5Lib = (typeof import('h5wasm/node'))['default'];

let lib: H5Lib | null = null;
let loading: Promise<H5Lib> | null = null;

/**
 * h5wasm, imported on first checkpoint use. Its module is a 4 MB file that tsx transforms on every start (seconds
 * and hundreds of MB), so importing @puzzle/modules must not load it: only a save or a load does. Once loaded, HDF5
 * errors surface as exceptions instead of stderr dumps.
 */
export function loadH5wasm(): Promise<H5Lib> {
  loading ??= import('h5wasm/node').then(async ({ default: h5wasm }) => {
    const mod = await h5wasm.ready;
    mod.activate_throwing_error_handler();
    lib = h5wasm;
    return h5wasm;
  });
  return loading;
}

/** The loaded h5wasm, for code that runs inside an open file (which loadH5wasm has preceded). */
export function h5wasmLib(): H5Lib {
  if (lib === null) throw new Error('h5wasm is not loaded yet: open files through withH5File');
  return lib;
}

/** Whether a checkpoint has been read or written in this process (h5wasm is loaded then, and only then). */
export function h5wasmLoaded(): boolean {
  return lib !== null;
}
