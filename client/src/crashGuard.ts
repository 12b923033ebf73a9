/**
 * What the client does when the language server stops. One file that crashes the server must not take Port Lens
 * down for the session (the library gives up after its fourth restart): the document last handed to the server
 * when it stopped is set aside, no longer sent, and the server is restarted. Restarts that come too fast for
 * any file to explain them end in giving up, with a message.
 */
export class CrashGuard {
  private lastSent: string | undefined;
  private readonly setAside = new Set<string>();
  private readonly stops: number[] = [];

  constructor(
    private readonly maxStops = 5,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** The server is about to read this document (opened or changed). */
  noteSent(uri: string): void {
    this.lastSent = uri;
  }

  /** Whether a document may be sent to the server. */
  allows(uri: string): boolean {
    return !this.setAside.has(uri);
  }

  /** The server stopped at `now`: restart it or not, and the document set aside for it, if one is to blame. */
  onStopped(now: number): { restart: boolean; setAside?: string } {
    this.stops.push(now);
    while (this.stops.length > 0 && now - this.stops[0] > this.windowMs) this.stops.shift();
    const suspect = this.lastSent;
    this.lastSent = undefined;
    if (suspect !== undefined) this.setAside.add(suspect);
    return { restart: this.stops.length <= this.maxStops, ...(suspect === undefined ? {} : { setAside: suspect }) };
  }

  /** The user asked for a set-aside document to be read again. */
  readmit(uri: string): void {
    this.setAside.delete(uri);
  }
}
