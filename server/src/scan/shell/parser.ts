import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

/**
 * The tree-sitter-bash parser, loaded once. The bundles carry both wasm files next to themselves; when running
 * from compiled sources (tests), they come from the packages.
 */
export function loadShellParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm') });
    const bash = await Language.load(wasmPath('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'));
    const parser = new Parser();
    parser.setLanguage(bash);
    loaded = parser;
    return parser;
  })();
  return loading;
}

/** The parser, once `loadShellParser` has resolved: a scan that comes before it is a bug, and fails as one. */
export function loadedShellParser(): Parser {
  if (!loaded) throw new Error('the shell parser was used before it was loaded');
  return loaded;
}

function wasmPath(file: string, packagePath: string): string {
  const beside = join(__dirname, file);
  return existsSync(beside) ? beside : require.resolve(packagePath);
}
