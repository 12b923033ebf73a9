import {
  type Node,
  type ParseError,
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import type { Span } from '../scan/mention';
import { isRecord, readSettings, unprefixed } from './settings';

/** The settings file the CLI reads, and that the editor checks as it is written. */
export const SETTINGS_FILE_NAME = '.portlens.json';

/** A problem of a settings file, where it is written. */
export interface SettingsFileProblem {
  message: string;
  span: Span;
}

/** Whether a path or URI names a settings file. */
export function isSettingsFile(pathOrUri: string): boolean {
  return pathOrUri.endsWith(`/${SETTINGS_FILE_NAME}`) || pathOrUri === SETTINGS_FILE_NAME;
}

/**
 * What is wrong with a `.portlens.json`, each problem under the value it is about: the same checks as the CLI's,
 * which warns about each and uses the default. Keys may be written with or without the `portLens.` prefix. With
 * `schemaChecked` (an editor that checks the file against schemas/portlens.schema.json, as VS Code does), only
 * what the schema cannot see: JSON errors and wrong types are its to show, once.
 */
export function settingsFileProblems(text: string, schemaChecked = false): SettingsFileProblem[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (schemaChecked && (errors.length > 0 || !root)) return [];
  if (errors.length > 0 || !root) {
    const [first] = errors;
    const at = first ? { start: first.offset, end: first.offset + first.length } : { start: 0, end: 0 };
    const reason = first ? printParseErrorCode(first.error) : 'no JSON value';
    return [{ message: `not valid JSON (${reason})`, span: at }];
  }
  const raw: unknown = getNodeValue(root);
  if (!isRecord(raw))
    return schemaChecked ? [] : [{ message: 'must hold a JSON object of settings', span: spanOf(root) }];
  // The setting's name as written, by the name it is read as.
  const written = new Map<string, string>();
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    written.set(unprefixed(key), key);
    settings[unprefixed(key)] = value;
  }
  const problems: SettingsFileProblem[] = [];
  readSettings(settings, (key, message, beyondSchema) => {
    if (beyondSchema || !schemaChecked)
      problems.push({ message: `${key}: ${message}`, span: placeOf(root, key, written) });
  });
  return problems;
}

/**
 * Where the value a problem's key names is written: `trustedNetworks[2]`, `rules.no-such-rule`,
 * `customPorts.9443.risk`. The setting is the longest of the file's own names that the key starts with (a name
 * may hold a dot, as `trace.server` does); what follows it is a path of `.name` and `[index]` steps.
 */
function placeOf(root: Node, key: string, written: ReadonlyMap<string, string>): Span {
  let setting: string | undefined;
  for (const name of written.keys()) {
    const follows = key.length === name.length || key[name.length] === '.' || key[name.length] === '[';
    if (key.startsWith(name) && follows && name.length > (setting?.length ?? -1)) setting = name;
  }
  if (setting === undefined) return spanOf(root);
  const path: (string | number)[] = [written.get(setting)!];
  for (const step of key.slice(setting.length).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) path.push(step[1] ?? Number(step[2]));
  // The deepest part of the path the file holds; a property's value is shown with its key, an element alone.
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (node) return spanOf(node.parent?.type === 'property' ? node.parent : node);
  }
  return spanOf(root);
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}
