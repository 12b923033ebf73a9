import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

/**
 * The @vscode/test-electron suite, for machines that have a VS Code build. It never downloads one: these
 * machines cannot reach the download server, so without VSCODE_EXECUTABLE_PATH it says plainly that it did
 * not run, and that is not a pass. (The UI suite in test/ui covers a real VS Code here, through code-server.)
 */
async function main(): Promise<void> {
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (!executable) {
    console.log('e2e (@vscode/test-electron): NOT RUN. No VS Code binary here; set VSCODE_EXECUTABLE_PATH to run it. Not counted as passed.');
    return;
  }
  const root = join(__dirname, '..', '..', '..');
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'suite', 'index.js'),
    launchArgs: [join(root, 'examples'), '--disable-extensions'],
  });
}

main().catch((error) => {
  console.error(`e2e (@vscode/test-electron) failed: ${error}`);
  process.exit(1);
});
