import * as assert from 'node:assert/strict';
import { TextAnalyses } from '../../server/src/scan/textAnalyses';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FormatFixes, OutlineSymbol } from '../../server/src/scan/format';
import type { RiskSignal } from '../../server/src/scan/mention';
import { createFormatRegistry } from '../../server/src/scan/registry';
import { type ScannedText, scanAs, testService } from './helpers';
import { applyEdits } from './textEdits';

/** The Connect:Direct corpus, read in place: corpus files are never copied into the repository. */
export const CORPUS = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'connect-direct');
export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'connectdirect');

export function corpusFiles(): string[] {
  return readdirSync(CORPUS).sort();
}

export function readCorpus(name: string): string {
  return readFileSync(join(CORPUS, name), 'utf8');
}

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Every sample the fuzzers start from: the corpus and the fixtures. */
export function connectDirectSamples(): string[] {
  return [...corpusFiles().map(readCorpus), ...readdirSync(FIXTURES).map(readFixture)];
}

/** Each mention as `line:token role exposure`, the shape the exact per-file assertions compare. */
export function mentionSummary(scanned: ScannedText): string[] {
  return scanned.scan.mentions.map((mention) => {
    const token = scanned.text.slice(mention.span.start, mention.span.end);
    return `${scanned.lineOf(mention)}:${token} ${mention.role} ${mention.exposure}`;
  });
}

/** Each signal as `kind "written"`. */
export function signalSummary(scanned: ScannedText): string[] {
  return scanned.scan.signals.map(
    (signal) => `${signal.kind} "${scanned.text.slice(signal.span.start, signal.span.end)}"`,
  );
}

export function signalAt(scanned: ScannedText, kind: RiskSignal['kind'], occurrence = 0): RiskSignal {
  const signal = scanned.scan.signals.filter((candidate) => candidate.kind === kind)[occurrence];
  assert.ok(signal, `no ${kind} signal #${occurrence}; found: ${JSON.stringify(signalSummary(scanned))}`);
  return signal;
}

export async function fixesOf(languageId: string): Promise<FormatFixes> {
  const fixes = (await createFormatRegistry()).definition(languageId)?.fixes;
  assert.ok(fixes, `${languageId} has no fixes`);
  return fixes;
}

/** Applies `edits` and scans the result as the same language. */
export async function rescan(
  scanned: ScannedText,
  edits: Parameters<typeof applyEdits>[1] | undefined,
): Promise<ScannedText> {
  assert.ok(edits, 'expected edits');
  return scanAs(scanned.scan.languageId, applyEdits(scanned.text, edits));
}

/**
 * Applies `bindToLoopback` to the listener at `port` (its first occurrence): the text must change from `before`
 * to `after` and nowhere else, and the rescanned listener must be loopback only. Returns the fixes for more checks.
 */
export async function assertBindsToLoopback(
  languageId: string,
  original: string,
  port: string,
  before: string,
  after: string,
): Promise<FormatFixes> {
  const scanned = await scanAs(languageId, original);
  const fixes = await fixesOf(languageId);
  const fixed = await rescan(
    scanned,
    fixes.bindToLoopback!(scanned.text, scanned.at(port), new TextAnalyses(scanned.text)),
  );
  assert.equal(fixed.text, original.replace(before, after));
  assert.equal(fixed.at(port).exposure, 'loopback');
  return fixes;
}

/**
 * Applies `resolveSignal` to the first signal of `kind`: the text must change from `before` to `after` and
 * nowhere else, and that signal must be gone.
 */
export async function assertResolves(
  languageId: string,
  original: string,
  kind: RiskSignal['kind'],
  before: string,
  after: string,
): Promise<void> {
  const scanned = await scanAs(languageId, original);
  const fixed = await rescan(
    scanned,
    (await fixesOf(languageId)).resolveSignal!(scanned.text, signalAt(scanned, kind), new TextAnalyses(scanned.text)),
  );
  assert.equal(fixed.text, original.replace(before, after));
  const count = (text: ScannedText) => text.scan.signals.filter((signal) => signal.kind === kind).length;
  assert.equal(count(fixed), count(scanned) - 1);
}

/** The hover card at the n-th occurrence of `written` (one character in). */
export async function hoverAt(scanned: ScannedText, written: string, occurrence = 0): Promise<string | undefined> {
  let at = -1;
  for (let seen = 0; seen <= occurrence; seen++) at = scanned.text.indexOf(written, at + 1);
  assert.ok(at >= 0, `"${written}" is not in the text`);
  const service = await testService();
  return service.hover(scanned.scan, scanned.text, at + 1)?.markdown;
}

export async function symbolsOf(scanned: ScannedText): Promise<OutlineSymbol[]> {
  return (await testService()).symbols(scanned.scan, scanned.text);
}

/** Names of an outline, children after their parent with an indent: `["NIGHTLY", "  SEND01"]`. */
export function outlineNames(symbols: readonly OutlineSymbol[], indent = ''): string[] {
  return symbols.flatMap((symbol) => [
    `${indent}${symbol.kind} ${symbol.name}`,
    ...outlineNames(symbol.children ?? [], `${indent}  `),
  ]);
}

/**
 * Scans hostile input to the end, with no notice of a failure (scanAs fails on one). A scanner that hangs is
 * stopped by mocha's timeout; how fast the scanners are is the benchmark's business (npm run bench).
 */
export function scanHostile(languageId: string, text: string): Promise<ScannedText> {
  return scanAs(languageId, text);
}
