import * as assert from 'node:assert/strict';
import type { PortMention } from '../../server/src/scan/mention';
import { type FileScan, PortLensService } from '../../server/src/service/portLensService';

let shared: Promise<PortLensService> | undefined;

/** One service for the whole run: loading the tree-sitter parser is the slow part. */
export function testService(): Promise<PortLensService> {
  shared ??= PortLensService.create();
  return shared;
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

  /** The 1-based line a mention starts on. */
  lineOf(mention: PortMention): number {
    return this.text.slice(0, mention.span.start).split('\n').length;
  }

  /** The mention written as `written` on a 1-based line, where the text repeats it elsewhere; fails the test if none. */
  atLine(line: number, written: string): PortMention {
    const mention = this.scan.mentions.find((item) => this.lineOf(item) === line && this.text.slice(item.span.start, item.span.end) === written);
    assert.ok(mention, `no port mention "${written}" on line ${line}; found: ${JSON.stringify(this.tokens)}`);
    return mention;
  }

  find(written: string, occurrence = 0): PortMention | undefined {
    let start = -1;
    for (let seen = 0; seen <= occurrence; seen++) {
      start = this.text.indexOf(written, start + 1);
      if (start < 0) return undefined;
    }
    return this.scan.mentions.find((mention) => mention.span.start === start && mention.span.end === start + written.length);
  }
}

/** Scans `text` as the given language, as the editor would for a document of that language. */
export async function scanAs(languageId: string, text: string): Promise<ScannedText> {
  const service = await testService();
  const scan = service.scan({ text, languageId });
  assert.equal(scan.languageId, languageId, `the service does not know the language ${languageId}`);
  return new ScannedText(text, scan);
}

export function scanShell(text: string): Promise<ScannedText> {
  return scanAs('shellscript', text);
}
