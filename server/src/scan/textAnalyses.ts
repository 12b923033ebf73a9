/**
 * Reads a text into something several readers need: a format's rules, an XML tree, a script's settings. It may
 * build on the text's other analyses.
 */
export type TextAnalysis<T> = (text: string, analyses: TextAnalyses) => T;

/**
 * The analyses of one text, each made once and shared by everything that reads that text in one scan: its
 * scanner, then its rules' fix builders (once per finding). They travel with the scan, so that a scan of one
 * document never sees another's; a new scan starts with none.
 */
export class TextAnalyses {
  private readonly made = new Map<TextAnalysis<unknown>, unknown>();

  constructor(readonly text: string) {}

  of<T>(analysis: TextAnalysis<T>): T {
    if (!this.made.has(analysis)) this.made.set(analysis, analysis(this.text, this));
    return this.made.get(analysis) as T;
  }
}
