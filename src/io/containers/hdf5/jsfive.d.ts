/**
 * The part of jsfive 0.4.x (pure-JS HDF5 reader, no bundled types) that src/io/containers/hdf5/read.ts uses.
 * `_links` is internal to jsfive: the name → address map of a group, which we need to run the
 * structural checks in guard.ts on a child before jsfive opens it. test/io.readers.test.ts reads
 * every fixture through it, so an upgrade that changes it fails loudly.
 */
declare module "jsfive" {
  export class Group {
    /** Child names in link order. */
    readonly keys: string[];
    /** All attributes, decoded (strings keep fixed-length NUL padding; scalars are unwrapped). */
    readonly attrs: Record<string, unknown>;
    /** Hard links map to an object header address, soft links to a path. */
    readonly _links: Record<string, number | string>;
    get(path: string): Group | Dataset | null;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly value: unknown[];
    readonly shape: number[];
    /** numpy-style (`<f4`, `>i8`, `S12`) or a tagged array for variable-length types. */
    readonly dtype: string | unknown[];
    readonly attrs: Record<string, unknown>;
  }
}
