/**
 * Diagnostics for clients that cannot pull them (Neovim before 0.10, Emacs eglot, and many more): each document's
 * are sent once its edits pause, so a burst of keystrokes costs one scan.
 */
export class DiagnosticsPusher {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  /** `push` sends the current diagnostics of an open document. */
  constructor(
    private readonly push: (uri: string) => void,
    private readonly pauseMs = 200,
  ) {}

  /** The document changed: send its diagnostics once it has not changed for a moment. */
  schedule(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        this.push(uri);
      }, this.pauseMs),
    );
  }

  /** The document was closed: nothing more is sent for it. */
  cancel(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
  }
}
