import * as path from 'node:path';
import {
  type Disposable,
  EventEmitter,
  type ExtensionContext,
  MarkdownString,
  Range,
  StatusBarAlignment,
  ThemeColor,
  ThemeIcon,
  type TreeDataProvider,
  TreeItem,
  TreeItemCollapsibleState,
  Uri,
  commands,
  env,
  window,
  workspace,
} from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type GroupBy,
  type InventoryFile,
  type PortRow,
  type RowGroup,
  type Severity,
  group,
  markdownTable,
  summary,
} from './portsModel';

const REQUEST = 'portLens/workspacePorts';
const CHANGED = 'portLens/workspacePortsChanged';
/** The Explorer section; the activity-bar container shows the same tree. */
const PORTS_VIEW = 'portLens.ports';
const PORTS_PANEL = 'portLens.portsPanel';
const ONLY_EXPOSURES_KEY = 'portLens.ports.onlyExposures';
const GROUP_BY_KEY = 'portLens.ports.groupBy';
/** Changes come in bursts while the scan runs: the view asks again once they settle. */
const REFETCH_DELAY_MS = 250;

interface InventoryPage {
  files: InventoryFile[];
  next: number | null;
  complete: boolean;
}

type PortsNode =
  | { kind: 'group'; group: RowGroup }
  | { kind: 'row'; row: PortRow }
  | { kind: 'unread'; files: InventoryFile[] }
  | { kind: 'unreadFile'; file: InventoryFile };

const SEVERITY_ICONS: Record<Severity, ThemeIcon> = {
  error: new ThemeIcon('error', new ThemeColor('problemsErrorIcon.foreground')),
  warning: new ThemeIcon('warning', new ThemeColor('problemsWarningIcon.foreground')),
  information: new ThemeIcon('info', new ThemeColor('problemsInfoIcon.foreground')),
  hint: new ThemeIcon('lightbulb'),
};

/**
 * The Ports view: every port of the workspace, read from the server's background scan, grouped by port, file or
 * severity, with a status bar item that counts exposures. Rows open their line; the context menu copies rows as a
 * Markdown table and opens a finding's rule page.
 */
class PortsTree implements TreeDataProvider<PortsNode> {
  private files: InventoryFile[] = [];
  private complete = false;
  private groups: RowGroup[] = [];
  private readonly changed = new EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private fetching: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly context: ExtensionContext,
    private readonly onLoaded: (files: readonly InventoryFile[], complete: boolean) => void,
  ) {}

  get groupBy(): GroupBy {
    return this.context.workspaceState.get<GroupBy>(GROUP_BY_KEY, 'port');
  }

  get onlyExposures(): boolean {
    return this.context.workspaceState.get<boolean>(ONLY_EXPOSURES_KEY, false);
  }

  async setGroupBy(by: GroupBy): Promise<void> {
    await this.context.workspaceState.update(GROUP_BY_KEY, by);
    this.render();
  }

  async setOnlyExposures(only: boolean): Promise<void> {
    await this.context.workspaceState.update(ONLY_EXPOSURES_KEY, only);
    await commands.executeCommand('setContext', ONLY_EXPOSURES_KEY, only);
    this.render();
  }

  /** Asks for the inventory soon; requests that come while one runs are folded into one more. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFETCH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    if (this.fetching) {
      this.again = true;
      return this.fetching;
    }
    this.fetching = this.fetch().finally(() => {
      this.fetching = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    const files: InventoryFile[] = [];
    let cursor: number | null = 0;
    let complete = false;
    // A page read while the scan goes on may mix two versions; the change notice that follows asks again.
    while (cursor !== null) {
      const page: InventoryPage = await this.client.sendRequest<InventoryPage>(REQUEST, { cursor, limit: 500 });
      files.push(...page.files);
      cursor = page.next;
      complete = page.complete;
    }
    this.files = files;
    this.complete = complete;
    this.render();
  }

  private render(): void {
    this.groups = group(this.files, this.groupBy, this.onlyExposures);
    this.onLoaded(this.files, this.complete);
    this.changed.fire(undefined);
  }

  /** The rows under the chosen nodes, for copying. */
  rowsUnder(nodes: readonly PortsNode[]): PortRow[] {
    return nodes.flatMap((node) => (node.kind === 'group' ? node.group.rows : node.kind === 'row' ? [node.row] : []));
  }

  getChildren(node?: PortsNode): PortsNode[] {
    if (!node) {
      const unread = this.files.filter((file) => file.skipped !== undefined);
      return [
        ...this.groups.map((found): PortsNode => ({ kind: 'group', group: found })),
        ...(unread.length > 0 ? [{ kind: 'unread' as const, files: unread }] : []),
      ];
    }
    if (node.kind === 'group') return node.group.rows.map((row): PortsNode => ({ kind: 'row', row }));
    if (node.kind === 'unread') return node.files.map((file): PortsNode => ({ kind: 'unreadFile', file }));
    return [];
  }

  getTreeItem(node: PortsNode): TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node.group);
      case 'row':
        return this.rowItem(node.row);
      case 'unread': {
        const item = new TreeItem(`${node.files.length} not read`, TreeItemCollapsibleState.Collapsed);
        item.iconPath = new ThemeIcon('circle-slash');
        item.id = 'unread';
        return item;
      }
      case 'unreadFile': {
        const item = new TreeItem(relativePath(node.file));
        item.description = node.file.skipped;
        item.resourceUri = Uri.parse(node.file.uri);
        return item;
      }
    }
  }

  private groupItem(found: RowGroup): TreeItem {
    const item = new TreeItem(found.label, TreeItemCollapsibleState.Collapsed);
    if (this.groupBy === 'file') item.label = relativePath(found.rows[0].file);
    item.id = `${this.groupBy}:${found.key}`;
    item.description = found.description;
    item.iconPath = found.severity ? SEVERITY_ICONS[found.severity] : new ThemeIcon('plug');
    item.contextValue = 'portLens.group';
    return item;
  }

  private rowItem(row: PortRow): TreeItem {
    const { mention } = row;
    const where = `${relativePath(row.file)}:${row.line}`;
    const port = mention
      ? `${mention.endPort === null ? mention.port : `${mention.port}-${mention.endPort}`}/${mention.protocol}`
      : '';
    const item = new TreeItem(this.groupBy === 'file' ? port || row.findings[0].ruleId : where);
    const doing = mention ? `${mention.role} · ${mention.exposure}` : row.findings[0].message;
    item.description =
      this.groupBy === 'port' ? doing : [this.groupBy === 'file' ? '' : port, doing].filter((part) => part).join(' · ');
    item.id = `${this.groupBy}:${row.file.uri}:${row.line}:${row.column}:${port}:${row.findings.map((finding) => finding.ruleId).join(',')}`;
    item.iconPath = row.severity
      ? SEVERITY_ICONS[row.severity]
      : new ThemeIcon(mention && mention.role === 'connect' ? 'arrow-right' : 'circle-outline');
    const tooltip = new MarkdownString();
    if (mention) tooltip.appendMarkdown(`**${port}** ${mention.service ?? ''}\n\n`).appendText(mention.description);
    for (const finding of row.findings)
      tooltip.appendMarkdown('\n\n').appendText(`${finding.severity}: ${finding.message} (${finding.ruleId})`);
    item.tooltip = tooltip;
    item.contextValue = row.findings.length > 0 ? 'portLens.row.finding' : 'portLens.row';
    const at = new Range(row.line - 1, row.column - 1, row.line - 1, row.column - 1);
    item.command = { title: 'Open', command: 'vscode.open', arguments: [Uri.parse(row.file.uri), { selection: at }] };
    return item;
  }
}

function relativePath(file: InventoryFile): string {
  return workspace.asRelativePath(Uri.parse(file.uri));
}

/** The view, its commands and the status bar item, once the client has started. */
export function registerPortsView(context: ExtensionContext, client: LanguageClient): Disposable[] {
  const status = window.createStatusBarItem('portLens.workspacePorts', StatusBarAlignment.Left, 50);
  status.name = 'Port Lens: workspace ports';
  status.command = `${PORTS_VIEW}.focus`;
  const tree = new PortsTree(client, context, (files, complete) => {
    const { exposures, ports } = summary(files);
    status.text = `${exposures > 0 ? '$(warning)' : '$(pass)'} ${exposures} ${exposures === 1 ? 'exposure' : 'exposures'} · ${ports} ${ports === 1 ? 'port' : 'ports'}${complete ? '' : ' $(sync~spin)'}`;
    status.tooltip = complete
      ? 'Port Lens: ports found in this workspace. Click to show them.'
      : 'Port Lens is scanning the workspace. Click to show the ports found so far.';
    status.show();
  });
  const views = [PORTS_VIEW, PORTS_PANEL].map((id) =>
    window.createTreeView(id, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }),
  );
  void commands.executeCommand('setContext', ONLY_EXPOSURES_KEY, tree.onlyExposures);
  client.onNotification(CHANGED, () => tree.schedule());
  void tree.refresh();
  const selected = (node?: PortsNode, nodes?: readonly PortsNode[]) => nodes ?? (node ? [node] : []);
  return [
    status,
    ...views,
    commands.registerCommand('portLens.ports.refresh', () => tree.refresh()),
    commands.registerCommand('portLens.ports.showOnlyExposures', () => tree.setOnlyExposures(true)),
    commands.registerCommand('portLens.ports.showAllUses', () => tree.setOnlyExposures(false)),
    commands.registerCommand('portLens.ports.groupBy', async () => {
      const choices: { label: string; by: GroupBy }[] = [
        { label: 'Port', by: 'port' },
        { label: 'File', by: 'file' },
        { label: 'Severity', by: 'severity' },
      ];
      const choice = await window.showQuickPick(choices, { placeHolder: `Group the ports by (now: ${tree.groupBy})` });
      if (choice) await tree.setGroupBy(choice.by);
    }),
    commands.registerCommand('portLens.ports.copyAsMarkdown', async (node?: PortsNode, nodes?: PortsNode[]) => {
      await env.clipboard.writeText(markdownTable(tree.rowsUnder(selected(node, nodes)), relativePath));
    }),
    commands.registerCommand('portLens.ports.openRuleDocs', async (node?: PortsNode) => {
      const ruleId = node?.kind === 'row' ? node.row.findings[0]?.ruleId : undefined;
      if (!ruleId) return;
      const page = Uri.file(context.asAbsolutePath(path.join('docs', 'rules', `${ruleId}.md`)));
      await commands.executeCommand('portLens.openRuleDocs', page.toString());
    }),
  ];
}
