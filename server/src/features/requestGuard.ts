import {
  type CancellationToken,
  type DiagnosticServerCancellationData,
  ErrorCodes,
  LSPErrorCodes,
  type Position,
  ResponseError,
  type TextDocumentIdentifier,
} from 'vscode-languageserver/node';

/**
 * Lets the message that arrived right behind a request (an edit, a cancellation) be read before the request does
 * its work. The connection hands over one queued message per turn of the event loop, and schedules that turn after
 * the handler's own: a second turn is the first one after it.
 */
async function afterNextMessage(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** A request that names a document, as every handler of ours receives it before its shape is checked. */
interface DocumentRequest {
  textDocument?: Partial<TextDocumentIdentifier>;
  position?: Partial<Position>;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** `-32602` for params that do not name a document (and, where asked, a position), as JSON-RPC says. */
export function invalidParams<D>(params: unknown, withPosition: boolean): ResponseError<D> | undefined {
  const request = (typeof params === 'object' && params !== null ? params : {}) as DocumentRequest;
  if (typeof request.textDocument?.uri !== 'string')
    return new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri must be a string');
  if (withPosition && !(isCount(request.position?.line) && isCount(request.position?.character)))
    return new ResponseError(ErrorCodes.InvalidParams, 'position must have a non-negative line and character');
  return undefined;
}

/**
 * Runs a request's work on the latest version of its document. A storm of edits each followed by a request then
 * costs one scan, not one per version: a request whose document changed while it waited gets `changed()`, and a
 * cancelled one `RequestCancelled`.
 */
export async function onLatestVersion<T, D>(
  token: CancellationToken,
  version: () => number | undefined,
  work: () => T,
  changed: () => ResponseError<D>,
): Promise<T | ResponseError<D>> {
  const asked = version();
  await afterNextMessage();
  if (token.isCancellationRequested) return new ResponseError<D>(LSPErrorCodes.RequestCancelled, 'cancelled');
  if (version() !== asked) return changed();
  return work();
}

/** For a request about a place in the text: the place it names may no longer exist. */
export function contentModified(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed');
}

/** For a diagnostics pull: the client asks again, for the new version. */
export function serverCancelled(): ResponseError<DiagnosticServerCancellationData> {
  return new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed; ask again', {
    retriggerRequest: true,
  });
}
