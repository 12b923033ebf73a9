/**
 * Shared set-up for the UI suites: one code-server with the packaged .vsix and one Chromium per test
 * file, on a private copy of test/ui/workspace. See test/ui/README.md.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type CodeServer,
  type Workbench,
  openWorkbench,
  startCodeServer,
  uiToolchainProblem,
  waitFor,
} from './codeServer';

/** The repo root: the nearest folder above this file (src or compiled) that has scripts/setup-ui.sh. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'setup-ui.sh'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`cannot find the repo root (scripts/setup-ui.sh) above ${__dirname}`);
  }
}

/** The .vsix under test: what `npm run package` writes, or PORT_LENS_VSIX. */
export function vsixPath(): string {
  return process.env.PORT_LENS_VSIX ?? path.join(repoRoot(), 'port-lens.vsix');
}

const FIXTURES = () => path.join(repoRoot(), 'test', 'ui', 'workspace');

/**
 * Fails (never skips) when the UI toolchain or the .vsix is missing: a suite that did not run must not
 * look like one that passed.
 */
export function requireUiToolchain(): void {
  const problem = uiToolchainProblem();
  if (problem) throw new Error(`the UI suite cannot run: ${problem}`);
  const vsix = vsixPath();
  if (!fs.existsSync(vsix))
    throw new Error(`the UI suite cannot run: ${vsix} is missing; run \`npm run package\` first`);
  // A .vsix older than the bundles would test yesterday's extension.
  const packaged = fs.statSync(vsix).mtimeMs;
  for (const bundle of ['client/out/extension.js', 'server/out/server.js']) {
    const built = fs.statSync(path.join(repoRoot(), bundle), { throwIfNoEntry: false })?.mtimeMs;
    if (built !== undefined && built > packaged) {
      throw new Error(`the UI suite cannot run: ${vsix} is older than ${bundle}; run \`npm run package\` again`);
    }
  }
}

/**
 * The fixture workspace copied to a fresh temp folder: a quick fix edits the open file, VS Code may write
 * workspace state, and each suite must start from the committed text.
 */
function copyWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'port-lens-ui-ws-'));
  const workspace = path.join(root, 'workspace');
  fs.cpSync(FIXTURES(), workspace, { recursive: true });
  return workspace;
}

export interface UiSession {
  server: CodeServer;
  workbench: Workbench;
  /** The temp copy of test/ui/workspace that VS Code has open. */
  workspace: string;
}

/**
 * Registers before/after hooks that start one code-server with the .vsix and one workbench for the
 * enclosing describe(), and always stop them. Returns a getter for the running session.
 */
export function useUiSession(settings: Record<string, unknown> = {}): () => UiSession {
  let session: UiSession | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let workspace: string | undefined;

  before(async function () {
    this.timeout(180_000);
    requireUiToolchain();
    workspace = copyWorkspace();
    // The suites about open files read the Problems panel whole: the findings of the files they do not open are
    // the Ports view suite's to check, and it turns them on.
    const withDefaults = { 'portLens.workspaceDiagnostics': false, ...settings };
    server = await startCodeServer({ vsixPath: vsixPath(), workspace, settings: withDefaults });
    workbench = await openWorkbench(server.url, workspace);
    session = { server, workbench, workspace };
  });

  after(async function () {
    this.timeout(60_000);
    try {
      await workbench?.close();
    } finally {
      await server?.stop();
      if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
    }
  });

  return () => {
    assert.ok(session, 'the UI session did not start (see the "before all" hook failure)');
    return session;
  };
}

/**
 * The 1-based line and column of `token` on the first line of a fixture file that contains `lineHas`,
 * plus `offset` characters (default 1: inside the token, where a hover or a quick fix finds it).
 */
export function positionIn(file: string, lineHas: string, token: string, offset = 1): { line: number; column: number } {
  const lines = fs.readFileSync(path.join(FIXTURES(), file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(lineHas));
  assert.ok(index >= 0, `${file} has no line with ${JSON.stringify(lineHas)}`);
  const start = lines[index].indexOf(lineHas);
  const at = lines[index].indexOf(token, start);
  assert.ok(at >= 0, `${file}:${index + 1} has no ${JSON.stringify(token)} in or after ${JSON.stringify(lineHas)}`);
  return { line: index + 1, column: at + 1 + offset };
}

/** A Port Lens card's title line: `1363/tcp · Connect:Direct API`, `8470-8476/tcp · 7 ports`. */
const CARD_TITLE = /^\d+(?:-\d+)?\/[a-z/]+ · /m;

/**
 * Moves the cursor into `token` of the active editor (a fixture file) and returns the hover text there once it
 * holds Port Lens's card: the diagnostics part of a hover can show before the language server's answer.
 */
export async function hoverOn(workbench: Workbench, file: string, lineHas: string, token: string): Promise<string> {
  const { line, column } = positionIn(file, lineHas, token);
  await workbench.gotoPosition(line, column);
  return eventually(
    `a Port Lens card in the hover at ${file}:${line}:${column}`,
    () => workbench.hoverText(),
    (text) => CARD_TITLE.test(text),
  );
}

/** The href of the link with this text in the visible hover (the hover must be showing). */
export async function hoverLink(workbench: Workbench, text: string): Promise<string> {
  const link = workbench.page.locator('.monaco-hover-content:visible a').filter({ hasText: text }).first();
  return waitFor(
    `a link "${text}" in the hover`,
    async () =>
      (await link.getAttribute('data-href', { timeout: 2000 })) ?? (await link.getAttribute('href')) ?? undefined,
    10_000,
  );
}

/** Polls until `probe` gives a value that satisfies `accept`; fails with the last value seen. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  let last: T | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await probe();
        return accept(last) ? last : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}
