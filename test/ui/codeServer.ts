/**
 * UI-test harness: a real VS Code (code-server 4.139 = VS Code 1.139) driven by playwright-core
 * in Debian's Chromium. The toolchain lives in <repo>/.cache/ui, provisioned by
 * `npm run setup:ui` (scripts/setup-ui.sh). See test/ui/README.md.
 *
 * Every wait has a deadline and fails with a message saying what it waited for; code-server and
 * Chromium are always killed on stop(), on close(), on a failed start and when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer, type Locator, type Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------------
// Toolchain location
// ---------------------------------------------------------------------------------------------

const SETUP_HINT = 'run `npm run setup:ui` (scripts/setup-ui.sh) to provision it';
const CHROMIUM_PATH = '/usr/bin/chromium';

/** The repo root: the nearest folder above this file (src or compiled) that has scripts/setup-ui.sh. */
function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'setup-ui.sh'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`cannot find the repo root (scripts/setup-ui.sh) above ${__dirname}`);
  }
}

export function uiCacheDir(): string {
  return process.env.PORT_LENS_UI_CACHE ?? path.join(findRepoRoot(), '.cache', 'ui');
}

function codeServerLauncher(): string {
  return path.join(uiCacheDir(), 'bin', 'code-server');
}

/** Why the UI suite cannot run here, or undefined when it can. The suites fail with this reason (never skip). */
export function uiToolchainProblem(): string | undefined {
  const cache = uiCacheDir();
  if (!fs.existsSync(path.join(cache, '.provisioned'))) return `${cache} is not provisioned: ${SETUP_HINT}`;
  if (!fs.existsSync(codeServerLauncher())) return `${codeServerLauncher()} is missing: ${SETUP_HINT}`;
  if (!fs.existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is missing: ${SETUP_HINT}`;
  return undefined;
}

function assertUiToolchain(): void {
  const problem = uiToolchainProblem();
  if (problem) throw new Error(`UI toolchain not ready: ${problem}`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers: deadlines, processes, ports
// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A deadline for a race against a child process: unref'd, so that once the process has answered the
 * pending timer does not keep the test run alive (an install's 120 s deadline held mocha open for 2 min).
 */
const deadline = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** Runs `action` and rejects after `timeoutMs`, so a stuck call never hangs a test. */
async function withDeadline<T>(what: string, timeoutMs: number, action: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([action(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Prefixes errors from `action` with the step that failed. */
async function step<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${what}: ${message}`, { cause: error });
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned')),
      );
    });
  });
}

/** Logs a process's output to a file and keeps its tail for error messages. */
class OutputTail {
  private text = '';
  constructor(
    private readonly logFile: string,
    private readonly maxChars = 4000,
  ) {}
  append(chunk: Buffer): void {
    fs.appendFileSync(this.logFile, chunk);
    this.text = (this.text + chunk.toString()).slice(-this.maxChars);
  }
  toString(): string {
    return this.text.trim() || '(no output)';
  }
}

/**
 * A child process in its own process group: killing the group also ends what it spawned
 * (code-server starts an extension host, a pty host and file watchers).
 */
class ProcessGroup {
  private exited = false;
  readonly exitCode: Promise<number | null>;
  private readonly killOnExit = () => this.signal('SIGKILL');

  constructor(readonly child: ChildProcess) {
    this.exitCode = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exited = true;
        resolve(code);
      });
      child.once('error', () => {
        this.exited = true;
        resolve(null);
      });
    });
    // If the test process exits without calling stop(), do not leave code-server behind.
    process.once('exit', this.killOnExit);
  }

  static spawn(command: string, args: string[], env: NodeJS.ProcessEnv, tail: OutputTail): ProcessGroup {
    const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => tail.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => tail.append(chunk));
    child.once('error', (error) => tail.append(Buffer.from(`cannot run ${command}: ${error.message}\n`)));
    return new ProcessGroup(child);
  }

  get hasExited(): boolean {
    return this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  /** SIGTERM, then SIGKILL if the group has not gone after `graceMs`. */
  async kill(graceMs = 5000): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    this.signal('SIGTERM');
    const ended = await Promise.race([this.exitCode.then(() => true), deadline(graceMs).then(() => false)]);
    // Children may outlive the leader: always finish the whole group off.
    this.signal('SIGKILL');
    if (!ended) await Promise.race([this.exitCode, deadline(1000)]);
  }
}

// ---------------------------------------------------------------------------------------------
// code-server
// ---------------------------------------------------------------------------------------------

export interface CodeServerOptions {
  /** The .vsix to install into a fresh extensions dir. */
  vsixPath: string;
  /** The folder to open. */
  workspace: string;
  /** Extra user settings, merged over the quiet defaults below. */
  settings?: Record<string, unknown>;
  /** How long to wait for the install and for the server to answer (ms). Default 120000. */
  timeoutMs?: number;
}

export interface CodeServer {
  /** e.g. http://127.0.0.1:38125/ */
  url: string;
  workspace: string;
  /** code-server's combined stdout and stderr. */
  logFile: string;
  stop(): Promise<void>;
}

/** Settings that keep a fresh VS Code quiet: no welcome page, walkthroughs, chat, telemetry or prompts. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.experimentalOnboarding': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  // Keep fixture workspaces unchanged on disk: VS Code in a browser auto-saves after 1 s by default,
  // and saves the files a multi-file code action changed.
  'files.autoSave': 'off',
  'files.refactoring.autoSave': false,
};

interface ServerDirs {
  root: string;
  userData: string;
  extensions: string;
  home: string;
  tmp: string;
}

function createServerDirs(settings: Record<string, unknown> | undefined): ServerDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'port-lens-ui-'));
  const dirs: ServerDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
    tmp: path.join(root, 'tmp'),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions);
  fs.mkdirSync(dirs.home);
  fs.mkdirSync(dirs.tmp);
  const userSettings = { ...QUIET_SETTINGS, ...settings };
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  return dirs;
}

function codeServerEnv(dirs: ServerDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // code-server writes a config file and logs even for --install-extension: keep them in the temp dir.
    XDG_CONFIG_HOME: path.join(dirs.home, 'config'),
    XDG_DATA_HOME: path.join(dirs.home, 'data'),
    CODE_SERVER_CONFIG: path.join(dirs.home, 'config.yaml'),
    // Its extension host leaves vscode-ipc-*.sock files in TMPDIR.
    TMPDIR: dirs.tmp,
    // No extension gallery: otherwise the workbench queries open-vsx.org, which is unreachable here.
    EXTENSIONS_GALLERY: '{}',
  };
}

function dirArgs(dirs: ServerDirs): string[] {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

async function installExtension(dirs: ServerDirs, vsixPath: string, logFile: string, timeoutMs: number): Promise<void> {
  if (!fs.existsSync(vsixPath)) throw new Error(`VSIX not found: ${vsixPath}`);
  const tail = new OutputTail(logFile);
  const installer = ProcessGroup.spawn(
    codeServerLauncher(),
    [...dirArgs(dirs), '--install-extension', path.resolve(vsixPath)],
    codeServerEnv(dirs),
    tail,
  );
  const exitCode = await Promise.race([installer.exitCode, deadline(timeoutMs).then(() => 'timeout' as const)]);
  await installer.kill(1000);
  if (exitCode === 'timeout') throw new Error(`timed out after ${timeoutMs} ms. Output:\n${tail.toString()}`);
  // code-server exits 0 even when the install fails, so also look for its success line.
  if (exitCode !== 0 || !/successfully installed/i.test(tail.toString())) {
    throw new Error(`exit code ${exitCode}. Output:\n${tail.toString()}`);
  }
}

/** Resolves when GET /healthz answers 200. */
function isHealthy(baseUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(new URL('healthz', baseUrl), { timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

async function waitUntilServing(server: ProcessGroup, url: string, tail: OutputTail, timeoutMs: number): Promise<void> {
  await waitFor(
    `code-server to answer on ${url}`,
    async () => {
      if (server.hasExited) throw new Error(`code-server exited early. Output:\n${tail.toString()}`);
      return (await isHealthy(url)) ? true : undefined;
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\ncode-server output:\n${tail.toString()}`);
  });
}

/**
 * Starts code-server on 127.0.0.1 with a fresh user-data dir and extensions dir,
 * the given VSIX installed and `workspace` as the folder. Call stop() when done.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertUiToolchain();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const workspace = path.resolve(options.workspace);
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`startCodeServer: workspace is not a folder: ${workspace}`);
  }
  const dirs = createServerDirs(options.settings);
  const logFile = path.join(dirs.root, 'code-server.log');
  let server: ProcessGroup | undefined;
  const removeTempDirOnExit = () => removeTempDir(dirs.root);
  const stop = async () => {
    await server?.kill();
    process.removeListener('exit', removeTempDirOnExit);
    removeTempDir(dirs.root);
  };
  try {
    await step(`installing ${options.vsixPath}`, () => installExtension(dirs, options.vsixPath, logFile, timeoutMs));
    const url = `http://127.0.0.1:${await findFreePort()}/`;
    const tail = new OutputTail(logFile);
    server = spawnCodeServer(dirs, url, workspace, tail);
    // After the spawn, so that on exit the server's own handler kills it before the folder goes.
    process.once('exit', removeTempDirOnExit);
    await step('starting code-server', () => waitUntilServing(server!, url, tail, timeoutMs));
    return { url, workspace, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function spawnCodeServer(dirs: ServerDirs, url: string, workspace: string, tail: OutputTail): ProcessGroup {
  const args = [
    ...dirArgs(dirs),
    '--auth',
    'none',
    '--bind-addr',
    new URL(url).host,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspace,
  ];
  return ProcessGroup.spawn(codeServerLauncher(), args, codeServerEnv(dirs), tail);
}

/** Set PORT_LENS_UI_KEEP_TEMP=1 to keep the temp dirs (user data, code-server.log) for debugging. */
function removeTempDir(dir: string): void {
  if (!process.env.PORT_LENS_UI_KEEP_TEMP) fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// The workbench in Chromium
// ---------------------------------------------------------------------------------------------

/** From ../GUIDE.md section 4: what Debian's Chromium needs to run headless and offline here. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type SquiggleKind = 'error' | 'warning' | 'info' | 'hint';

export interface WorkbenchOptions {
  /** Default timeout of one UI action (ms). Default 15000. */
  actionTimeoutMs?: number;
  /** How long to wait for the workbench to load (ms). Default 60000. */
  loadTimeoutMs?: number;
}

const SELECTORS = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget',
  quickInputRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeEditor: '.editor-group-container.active .monaco-editor',
  hover: '.monaco-hover-content:visible',
  languageMode: '.statusbar-item[id="status.editor.mode"]',
  problemsPanel: '.markers-panel',
  problemsRows: 'div[id="workbench.panel.markers"] .monaco-list-row',
  // VS Code 1.139 also renders an empty `.action-widget` submenu panel next to the menu.
  actionWidget: '.action-widget:not(.action-list-submenu-panel)',
  actionRows: '.action-widget:not(.action-list-submenu-panel) .monaco-list-row.action',
  editorMessage: '.monaco-editor-overlaymessage',
  notificationMessages: '.notifications-toasts .notification-list-item-message',
  squiggle: (kind: SquiggleKind) => `.editor-group-container.active .view-overlays .cdr.squiggly-${kind}`,
} as const;

/**
 * Chromium runs as a playwright browser server so that we hold its process: close() can kill it
 * when a graceful close does not finish in time. Its temp files and crash-report folder go to a
 * temp dir of its own (not /tmp and ~/.config/chromium), removed on close and on exit.
 */
class ChromiumProcess {
  private readonly removeTempDirOnExit = () => removeTempDir(this.tempDir);

  private constructor(
    private readonly server: BrowserServer,
    readonly browser: Browser,
    private readonly tempDir: string,
  ) {
    process.once('exit', this.removeTempDirOnExit);
  }

  static async launch(timeoutMs: number): Promise<ChromiumProcess> {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'port-lens-ui-chromium-'));
    const env = { ...process.env, TMPDIR: tempDir, XDG_CONFIG_HOME: tempDir, XDG_CACHE_HOME: tempDir };
    let server: BrowserServer | undefined;
    try {
      server = await chromium.launchServer({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        env,
        timeout: timeoutMs,
      });
      const browser = await chromium.connect(server.wsEndpoint(), { timeout: timeoutMs });
      return new ChromiumProcess(server, browser, tempDir);
    } catch (error) {
      await server?.kill();
      removeTempDir(tempDir);
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await withDeadline('closing Chromium', 10_000, async () => {
        await this.browser.close();
        await this.server.close();
      });
    } catch {
      await this.server.kill();
    }
    process.removeListener('exit', this.removeTempDirOnExit);
    removeTempDir(this.tempDir);
  }
}

/** A page object over one VS Code workbench tab. All methods fail with a message after a timeout. */
export class Workbench {
  constructor(
    readonly page: Page,
    private readonly chromiumProcess: ChromiumProcess,
    private readonly actionTimeoutMs: number,
  ) {}

  /** Opens a file by its path relative to the workspace folder, through Quick Open (Ctrl+P). */
  async openFile(relativePath: string): Promise<void> {
    const fileName = path.posix.basename(relativePath.replace(/\\/g, '/'));
    await step(`openFile(${relativePath})`, async () => {
      await this.openQuickInput('Control+P');
      await this.page.keyboard.type(relativePath);
      // Enter before the file search answers would open nothing: wait for a matching row.
      await this.page.locator(SELECTORS.quickInputRows).filter({ hasText: fileName }).first().waitFor();
      await this.page.keyboard.press('Enter');
      await this.page.locator(`${SELECTORS.activeEditor}[data-uri$="/${encodeURI(fileName)}"]`).waitFor();
      await this.page.locator(`${SELECTORS.activeEditor} .view-lines`).waitFor();
    });
  }

  /** Moves the cursor of the active editor to a 1-based line and column (Ctrl+G). */
  async gotoPosition(line: number, column: number): Promise<void> {
    await step(`gotoPosition(${line}, ${column})`, async () => {
      await this.openQuickInput('Control+G');
      await this.page.keyboard.type(`${line}:${column}`);
      await this.page.keyboard.press('Enter');
      await this.page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden' });
    });
  }

  /**
   * Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text, diagnostics at the cursor
   * included. Retries until the text is non-empty: the extension or its server may still be starting.
   */
  async hoverText(timeoutMs = 30_000): Promise<string> {
    return step('hoverText()', () =>
      waitFor(
        'a non-empty hover at the cursor (Ctrl+K Ctrl+I)',
        async () => {
          await this.focusEditor();
          await this.page.keyboard.press('Control+K');
          await this.page.keyboard.press('Control+I');
          const hover = this.page.locator(SELECTORS.hover);
          await hover.first().waitFor({ timeout: 2000 });
          await sleep(200); // let "Loading..." give way to the providers' answers
          const text = (await hover.allInnerTexts()).join('\n').trim();
          return text && !/^Loading\.*$/.test(text) ? text : undefined;
        },
        timeoutMs,
        500,
      ),
    );
  }

  /** The language mode shown in the status bar, e.g. "Shell Script". */
  async languageMode(): Promise<string> {
    return step('languageMode()', async () => {
      const item = this.page.locator(SELECTORS.languageMode);
      await item.waitFor();
      const readMode = async () => (await item.innerText()).trim() || undefined;
      return waitFor('a language mode in the status bar', readMode, this.actionTimeoutMs);
    });
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns the text of its rows (files and markers). */
  async problems(): Promise<string[]> {
    return step('problems()', async () => {
      const panel = this.page.locator(SELECTORS.problemsPanel);
      // The shortcut toggles: only press it when the panel is not already showing.
      if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor();
      // With no problems the panel hides its tree but keeps stale rows: read only visible ones.
      const rows = this.page.locator(SELECTORS.problemsRows).filter({ visible: true });
      return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean);
    });
  }

  /** Runs a command from the Command Palette (Ctrl+Shift+P) by its title, as a user picks it. */
  async runCommand(title: string): Promise<void> {
    await step(`runCommand(${JSON.stringify(title)})`, async () => {
      await this.openQuickInput('Control+Shift+P');
      await this.page.keyboard.type(title);
      await this.page.locator(SELECTORS.quickInputRows).filter({ hasText: title }).first().waitFor();
      await this.page.keyboard.press('Enter');
      await this.page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden' });
    });
  }

  /** The messages of the notification toasts showing now, [] when there are none. */
  async notifications(): Promise<string[]> {
    return step('notifications()', async () =>
      (await this.page.locator(SELECTORS.notificationMessages).filter({ visible: true }).allInnerTexts()).map((text) =>
        text.replace(/\s+/g, ' ').trim(),
      ),
    );
  }

  /** The titles of the quick fixes at the cursor (Ctrl+.), [] when there are none; closes the menu again. */
  async quickFixTitles(): Promise<string[]> {
    return step('quickFixTitles()', async () => {
      const rows = await this.openQuickFixMenu();
      const titles = rows ? await this.actionTitles(rows) : [];
      await this.page.keyboard.press('Escape');
      return titles;
    });
  }

  /** Applies the quick fix at the cursor whose title is `title` (Ctrl+. then a click). */
  async applyQuickFix(title: string): Promise<void> {
    await step(`applyQuickFix(${JSON.stringify(title)})`, async () => {
      const rows = await this.openQuickFixMenu();
      const titles = rows ? await this.actionTitles(rows) : [];
      const index = titles.indexOf(title);
      if (!rows || index < 0) {
        await this.page.keyboard.press('Escape');
        throw new Error(`no such quick fix; the menu offers: ${JSON.stringify(titles)}`);
      }
      await rows.nth(index).click();
      await this.page.locator(SELECTORS.actionWidget).waitFor({ state: 'hidden' });
    });
  }

  /** The text of the active editor's rendered lines (only what is scrolled into view), in line order. */
  async editorText(): Promise<string> {
    return step('editorText()', async () => {
      // The editor draws each line at its own height and reuses the line elements: after an edit that adds
      // lines, their order in the page is not the order of the lines, so they are sorted by where they are drawn.
      const lines = await this.page
        .locator(`${SELECTORS.activeEditor} .view-lines > .view-line`)
        .evaluateAll((elements) =>
          elements.map((element) => ({ top: parseFloat(element.style.top), text: element.innerText })),
        );
      const text = lines
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text)
        .join('\n');
      return text.replace(/\u00a0/g, ' '); // the editor renders spaces as non-breaking spaces
    });
  }

  /**
   * How many squiggle decorations of a kind the active editor shows now. A diagnostic that spans
   * several lines draws one per line. Poll with waitFor() when diagnostics are still coming.
   */
  async squiggleCount(kind: SquiggleKind): Promise<number> {
    return this.page.locator(SELECTORS.squiggle(kind)).count();
  }

  async screenshot(filePath: string): Promise<void> {
    await step(`screenshot(${filePath})`, () => this.page.screenshot({ path: filePath }).then(() => undefined));
  }

  async close(): Promise<void> {
    await this.chromiumProcess.close();
  }

  /** Ctrl+1 focuses the editor group again (e.g. after problems()) and keeps its cursor where it was. */
  private async focusEditor(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+1');
  }

  private async openQuickInput(shortcut: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(shortcut);
    await this.page.locator(SELECTORS.quickInput).waitFor();
  }

  /**
   * Opens the quick fix menu; undefined when VS Code answers "No code actions available" instead.
   * Ctrl+. pressed while that message is still fading out shows nothing, hence the retries.
   */
  private async openQuickFixMenu(): Promise<Locator | undefined> {
    const menu = this.page.locator(SELECTORS.actionWidget).filter({ visible: true });
    const noActionsMessage = this.page.locator(SELECTORS.editorMessage).filter({ visible: true });
    const answer = await waitFor(
      'the quick fix menu or "No code actions available" (Ctrl+.)',
      async () => {
        await this.focusEditor();
        // A message left from an earlier Ctrl+. would be mistaken for this one's answer.
        await noActionsMessage
          .first()
          .waitFor({ state: 'hidden', timeout: 3000 })
          .catch(() => undefined);
        await this.page.keyboard.press('Control+.');
        await menu.or(noActionsMessage).first().waitFor({ timeout: 5000 });
        return (await menu.count()) > 0 ? 'menu' : 'no actions';
      },
      this.actionTimeoutMs,
    );
    return answer === 'menu' ? this.page.locator(SELECTORS.actionRows) : undefined;
  }

  private async actionTitles(rows: Locator): Promise<string[]> {
    return (await rows.allInnerTexts()).map((text) => text.split('\n')[0].trim());
  }
}

/**
 * Opens `folder` in the code-server at `url` in a headless Chromium and waits for the workbench.
 * Call close() on the result when done; on failure Chromium is closed here.
 */
export async function openWorkbench(url: string, folder: string, options: WorkbenchOptions = {}): Promise<Workbench> {
  assertUiToolchain();
  const actionTimeoutMs = options.actionTimeoutMs ?? 15_000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const chromiumProcess = await step('launching Chromium', () => ChromiumProcess.launch(loadTimeoutMs));
  try {
    const context = await chromiumProcess.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(actionTimeoutMs);
    page.setDefaultNavigationTimeout(loadTimeoutMs);
    const workbenchUrl = new URL(url);
    workbenchUrl.searchParams.set('folder', path.resolve(folder));
    await step(`loading ${workbenchUrl.toString()}`, async () => {
      await page.goto(workbenchUrl.toString(), { waitUntil: 'domcontentloaded' });
      await page.locator(SELECTORS.workbench).waitFor({ timeout: loadTimeoutMs });
    });
    return new Workbench(page, chromiumProcess, actionTimeoutMs);
  } catch (error) {
    await chromiumProcess.close();
    throw error;
  }
}
