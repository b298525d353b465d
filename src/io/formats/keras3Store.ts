/**
 * `model.weights.h5` seen under the `/`-separated paths Keras 3 asks for, forgiving one thing Keras
 * itself cannot read: group names written with Windows separators.
 *
 * Keras' saving code builds each object's path with `os.path.join` (keras/src/saving/saving_lib.py
 * `_save_state`; tf.keras 2.x through `tf.io.gfile.join`); versions that did not then replace `\`
 * by `/` wrote, on Windows, `h5py.create_group("layers\\dense")` — and HDF5 separates paths only by
 * `/`, so the file holds one root group literally named `layers\dense` (with `vars` inside). Keras
 * on any OS then looks up `layers/dense` and finds nothing. Here every link name is also read split
 * at `\`, so `layers\dense/vars`, `layers\dense\vars` and `layers/dense/vars` all answer
 * `layers/dense/vars`. A path the file spells two different ways is refused, never guessed.
 */
import { ModelFormatError } from "../errors.js";
import type { H5Dataset, H5Group } from "../containers/hdf5.js";

/** Logical path → the real objects that spell it (more than one: ambiguous). */
interface Index {
  objects: Map<string, (H5Group | H5Dataset)[]>;
  /** Logical path → names of its logical children (virtual groups included). */
  children: Map<string, Set<string>>;
}

/** Most objects the index visits; a Keras weights file has a few per layer. */
const MAX_OBJECTS = 1_000_000;

const real = (o: H5Group | H5Dataset) => o.path.slice(1);

/**
 * Reads a Keras 3 weights file by logical path; records every path it had to read under a
 * different spelling so the loader can say what it mapped.
 *
 * @example
 * const store = new Keras3Store(openHdf5(bytes, "m.keras/model.weights.h5"), "m.keras/model.weights.h5");
 * const vars = store.group("layers/dense/vars"); // also finds a group named `layers\dense`
 */
export class Keras3Store {
  /** Logical path → the real path it was read from, for paths read under another spelling. */
  readonly remapped = new Map<string, string>();
  /** Other mappings the loader made while reading, for its warnings. */
  readonly notes: string[] = [];
  private index: Index | undefined;

  constructor(
    readonly h5: H5Group,
    readonly label: string,
  ) {}

  /** The group at a logical path, or undefined (also when a dataset sits there). */
  group(path: string): H5Group | undefined {
    const o = this.get(path);
    return o?.kind === "group" ? o : undefined;
  }

  /** Whether anything (a group, a dataset, or a group implied by backslashed names) is at `path`. */
  has(path: string): boolean {
    return this.get(path) !== undefined || this.build().children.has(path);
  }

  /** The logical names directly under `path` (`[]` for a path that does not exist). */
  keys(path: string): string[] {
    return [...(this.build().children.get(path) ?? [])];
  }

  /** Whether any dataset sits anywhere below `path`. */
  hasDatasets(path: string): boolean {
    const prefix = `${path}/`;
    for (const [p, objs] of this.build().objects)
      if (p.startsWith(prefix) && objs.some((o) => o.kind === "dataset")) return true;
    return false;
  }

  /** The one warning that names what was read under another spelling, or undefined. */
  describeRemapped(): string | undefined {
    if (this.remapped.size === 0) return undefined;
    const pairs = [...this.remapped].map(([logical, actual]) => `'${actual}' as '${logical}'`);
    const shown = pairs.slice(0, 4).join(", ") + (pairs.length > 4 ? `, and ${pairs.length - 4} more` : "");
    return (
      `${this.label}: its groups are named with Windows separators ('\\'), as Keras wrote them on Windows ` +
      `before normalising paths; Keras itself cannot load such a file. Read ${shown}.`
    );
  }

  private get(path: string): H5Group | H5Dataset | undefined {
    if (this.h5.has(path)) return this.h5.get(path);
    const hits = this.build().objects.get(path);
    if (hits === undefined) return undefined;
    if (hits.length > 1)
      throw new ModelFormatError(
        `${this.label}: '${path}' is spelled ${hits.length} ways in the file (${hits.map((h) => `'${real(h)}'`).join(", ")}); ` +
          `gradlens does not guess which one holds the weights`,
      );
    this.remapped.set(path, real(hits[0]));
    return hits[0];
  }

  /** Walks the file once (datasets included, for `hasDatasets`), splitting every link name at `\`. */
  private build(): Index {
    if (this.index !== undefined) return this.index;
    const index: Index = { objects: new Map(), children: new Map() };
    let visited = 0;
    const add = (logical: string[], obj: H5Group | H5Dataset) => {
      const path = logical.join("/");
      const list = index.objects.get(path) ?? [];
      if (!list.some((o) => o.path === obj.path)) list.push(obj);
      index.objects.set(path, list);
      for (let i = 0; i < logical.length; i++) {
        const parent = logical.slice(0, i).join("/");
        const set = index.children.get(parent) ?? new Set<string>();
        set.add(logical[i]);
        index.children.set(parent, set);
      }
    };
    const walk = (g: H5Group, logical: string[]) => {
      for (const name of g.keys()) {
        if (++visited > MAX_OBJECTS)
          throw new ModelFormatError(
            `${this.label}: more than ${MAX_OBJECTS} objects; not a Keras weights file`,
          );
        const parts = [...logical, ...name.split("\\").filter((s) => s.length > 0)];
        const child = g.get(name);
        add(parts, child);
        if (child.kind === "group") walk(child, parts);
      }
    };
    walk(this.h5, []);
    this.index = index;
    return index;
  }
}
