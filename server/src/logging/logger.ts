/** How much the server says in its output channel, from the least: errors only, to every step it takes. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Where the engine reports what went wrong, with the error's stack; the LSP server and the CLI each give one. */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

/** For the tests and for callers that have nowhere to log: what it is told goes nowhere. */
export const SILENT_LOGGER: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** A message with the error's stack (or its text, for a thrown non-Error), as one log entry. */
export function withStack(message: string, error: unknown): string {
  if (error === undefined) return message;
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : JSON.stringify(error);
  return `${message}\n${detail}`;
}

/** The four calls the LSP connection's console offers (`window/logMessage`), one per level. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

/** A logger that writes to `sink` what is at or above the level `level()` gives when the message comes. */
export function leveledLogger(sink: LogSink, level: () => LogLevel): Logger {
  const enabled = (wanted: LogLevel) => LOG_LEVELS.indexOf(wanted) <= LOG_LEVELS.indexOf(level());
  return {
    error: (message, error) => enabled('error') && sink.error(withStack(message, error)),
    warn: (message, error) => enabled('warn') && sink.warn(withStack(message, error)),
    info: (message) => enabled('info') && sink.info(message),
    debug: (message) => enabled('debug') && sink.log(message),
  };
}
