import * as assert from 'node:assert/strict';
import type { PortMention } from '../../server/src/scan/mention';
import { createFormatRegistry } from '../../server/src/scan/registry';
import type { ScanRecord } from '../../server/src/service/editRescan';
import { type FileScan, PortLensService, type ScanRequest } from '../../server/src/service/portLensService';

/**
 * Names a language family (`pf`, `ufw`, `connectdirect`) whose scanners throw on every input. The harness test
 * (test/harness) runs each format's tests with it set, and fails when any of them still passes.
 */
export const BROKEN_FORMAT_VARIABLE = 'PORTLENS_TEST_BROKEN_FORMAT';

let shared: Promise<PortLensService> | undefined;
let brokenCalls = 0;

/** How often a scanner broken through BROKEN_FORMAT_VARIABLE has been asked to scan in this process. */
export function brokenScannerCalls(): number {
  return brokenCalls;
}

/** One service for the whole run: loading the tree-sitter parser is the slow part. */
export function testService(): Promise<PortLensService> {
  shared ??= PortLensService.create(undefined, registryForTests(process.env[BROKEN_FORMAT_VARIABLE]));
  return shared;
}

async function registryForTests(brokenFamily: string | undefined) {
  const registry = await createFormatRegistry();
  if (!brokenFamily) return registry;
  const throwing = {
    scan(): never {
      brokenCalls++;
      throw new Error(`the ${brokenFamily} scanner was broken on purpose (${BROKEN_FORMAT_VARIABLE})`);
    },
  };
  for (const languageId of registry.languageIds) {
    if (languageId.startsWith(brokenFamily))
      registry.register({ ...registry.definition(languageId)!, scanner: throwing });
  }
  return registry;
}

/**
 * The service's scan, failing the test if the scanner met a problem or stopped short (the service turns a
 * scanner's exception into a `scan-incomplete` finding, which a test that looks only at mentions would not see).
 */
export function cleanScan(service: PortLensService, request: ScanRequest): FileScan {
  const scan = service.scan(request);
  assertComplete(scan, 'scan');
  return scan;
}

function assertComplete(scan: FileScan, what: string): void {
  assert.deepEqual(scan.notices, [], `the ${scan.languageId} ${what} met a problem`);
  assert.deepEqual(scan.incomplete ?? [], [], `the ${scan.languageId} ${what} stopped short`);
}

/** A scan result that can be asked about the text it came from. */
export class ScannedText {
  constructor(
    readonly text: string,
    readonly scan: FileScan,
  ) {}

  /** What each mention covers in the text, in order: `["1363", "22"]`. */
  get tokens(): string[] {
    return this.scan.mentions.map((mention) => this.text.slice(mention.span.start, mention.span.end));
  }

  get ports(): number[] {
    return this.scan.mentions.map((mention) => mention.port);
  }

  /** The mention that covers the n-th occurrence of `written` in the text; fails the test if there is none. */
  at(written: string, occurrence = 0): PortMention {
    const mention = this.find(written, occurrence);
    assert.ok(mention, `no port mention at "${written}" (#${occurrence}); found: ${JSON.stringify(this.tokens)}`);
    return mention;
  }

  /** The 1-based line a mention (or a signal, a finding) starts on. */
  lineOf(mention: { span: { start: number } }): number {
    return this.text.slice(0, mention.span.start).split('\n').length;
  }

  /** The mention written as `written` on a 1-based line, where the text repeats it elsewhere; fails the test if none. */
  atLine(line: number, written: string): PortMention {
    const mention = this.scan.mentions.find(
      (item) => this.lineOf(item) === line && this.text.slice(item.span.start, item.span.end) === written,
    );
    assert.ok(mention, `no port mention "${written}" on line ${line}; found: ${JSON.stringify(this.tokens)}`);
    return mention;
  }

  find(written: string, occurrence = 0): PortMention | undefined {
    let start = -1;
    for (let seen = 0; seen <= occurrence; seen++) {
      start = this.text.indexOf(written, start + 1);
      if (start < 0) return undefined;
    }
    return this.scan.mentions.find(
      (mention) => mention.span.start === start && mention.span.end === start + written.length,
    );
  }
}

/** The service's re-scan of an edited text, failing the test as `cleanScan` does. */
export function cleanRescan(
  service: PortLensService,
  previous: ScanRecord | undefined,
  request: ScanRequest,
): ScanRecord {
  const record = service.rescan(previous, request);
  assertComplete(record.scan, 're-scan');
  return record;
}

export interface ScanOptions {
  path?: string;
  /** The test is about a problem the scan reports; by default any notice or shortfall fails the test. */
  expectNotices?: boolean;
}

/** Scans `text` as the given language, as the editor would for a document of that language. */
export async function scanAs(languageId: string, text: string, options: ScanOptions = {}): Promise<ScannedText> {
  const service = await testService();
  const request = { text, languageId, path: options.path };
  const scan = options.expectNotices ? service.scan(request) : cleanScan(service, request);
  assert.equal(scan.languageId, languageId, `the service does not know the language ${languageId}`);
  return new ScannedText(text, scan);
}

export function scanShell(text: string): Promise<ScannedText> {
  return scanAs('shellscript', text);
}

/** Every item satisfies `holds`, and there is at least one: `[].every(...)` is true, which proves nothing. */
export function assertEvery<T>(items: readonly T[], holds: (item: T) => boolean, message?: string): void {
  assert.ok(items.length > 0, message ?? 'expected at least one item');
  items.forEach((item, index) => assert.ok(holds(item), `${message ?? 'item'} #${index}: ${JSON.stringify(item)}`));
}
