/**
 * Remembers the result for the last text: the rules ask a format's fix builder once per finding, all on the same
 * text, and re-reading the whole file each time would make large files quadratic.
 */
export function rememberLast<R>(compute: (text: string) => R): (text: string) => R {
  let last: { text: string; result: R } | undefined;
  return (text) => {
    if (last?.text !== text) last = { text, result: compute(text) };
    return last.result;
  };
}
