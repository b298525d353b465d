/** Keras-style automatic names: `dense`, `dense_1`, `dense_2`, … per prefix, for the whole process. */
const counters = new Map<string, number>();

/**
 * snake_case of a class name exactly as Keras 3 spells it (`Conv2DTranspose` → `conv2d_transpose`,
 * `PReLU` → `p_re_lu`). Keras: keras/src/utils/naming.py `to_snake_case`.
 *
 * @example
 * toSnakeCase("Conv2DTranspose"); // "conv2d_transpose", the prefix of automatic layer names
 */
export function toSnakeCase(name: string): string {
  const s = name.replace(/\W+/g, "").replace(/(.)([A-Z][a-z]+)/g, "$1_$2");
  return s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** A fresh unique name for `prefix`: the prefix itself the first time, then `prefix_1`, `prefix_2`. */
export function uniqueName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * Forgets all automatic names (Keras's `clear_session` for names), so a script that builds
 * models again gets the same names again.
 *
 * @example resetNames(); new layers.Dense({ units: 1 }).name // "dense"
 */
export function resetNames(): void {
  counters.clear();
}

/**
 * Makes a list of names unique the way tf.keras names a model's outputs: in order, a name already
 * taken becomes `name_1`, then `name_2`, … (counting per original name), so two outputs of one
 * layer — an LSTM's `h` and `c` states — get `decoder_lstm` and `decoder_lstm_1`.
 * (tf.keras: `Functional._set_output_names`.)
 *
 * @example
 * uniqueNames(["decoder_output", "decoder_lstm", "decoder_lstm"]); // [..., "decoder_lstm", "decoder_lstm_1"]
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const counts = new Map<string, number>();
  return names.map((name) => {
    let proposal = name;
    while (taken.has(proposal)) {
      const n = counts.get(name) ?? 1;
      proposal = `${name}_${n}`;
      counts.set(name, n + 1);
    }
    taken.add(proposal);
    return proposal;
  });
}
