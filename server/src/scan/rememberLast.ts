/**
 * Remembers the result for the last key (a text, or a settings value, compared as `===` does): the rules ask a
 * format's fix builder once per finding, all on the same text, and re-reading the whole file each time would make
 * large files quadratic.
 */
export function rememberLast<K, R>(compute: (key: K) => R): (key: K) => R {
  let last: { key: K; result: R } | undefined;
  return (key) => {
    if (last?.key !== key) last = { key, result: compute(key) };
    return last.result;
  };
}
