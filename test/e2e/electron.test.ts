import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

/**
 * The @vscode/test-electron suite, for machines that have a VS Code build. It never downloads one: these
 * machines cannot reach the download server, so without VSCODE_EXECUTABLE_PATH the test is skipped, and mocha
 * reports it as pending, not passing. (The UI suite in test/ui covers a real VS Code here, through code-server.)
 */
describe('VS Code desktop (@vscode/test-electron)', function () {
  this.timeout(10 * 60 * 1000);

  it('runs the hover suite inside VS Code', async function () {
    const executable = process.env.VSCODE_EXECUTABLE_PATH;
    if (!executable) {
      console.log('    No VS Code binary here: set VSCODE_EXECUTABLE_PATH to run this suite.');
      this.skip();
    }
    const root = join(__dirname, '..', '..', '..');
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      launchArgs: [join(root, 'examples'), '--disable-extensions'],
    });
  });
});
