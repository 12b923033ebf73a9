// Bundles the extension client, the language server and the CLI into three files, and puts the tree-sitter
// wasm files beside the server and the CLI, where server/src/scan/shell/parser.ts looks for them first.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version } = require('./package.json');
const IMPORT_META_SHIM = "const importMetaUrl = require('url').pathToFileURL(__filename).href;";
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  logLevel: 'info',
  // web-tree-sitter's ES module build reads import.meta.url, which a CommonJS bundle must provide.
  define: { 'import.meta.url': 'importMetaUrl', PORTLENS_VERSION: JSON.stringify(version) },
  banner: { js: IMPORT_META_SHIM },
  // jsonc-parser's default (UMD) build requires its own files at run time, which a bundle does not carry.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

// The server and the CLI are also the npm package's bins (`portlens-language-server`, `portlens`).
const executable = { js: `#!/usr/bin/env node\n${IMPORT_META_SHIM}` };
const bundles = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js', banner: executable },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/portlens.js', banner: executable },
];

mkdirSync('server/out', { recursive: true });
for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm']) {
  copyFileSync(require.resolve(wasm), `server/out/${wasm.split('/').pop()}`);
}

if (watch) {
  for (const options of bundles) await (await context(options)).watch();
} else {
  await Promise.all(bundles.map((options) => build(options)));
}
