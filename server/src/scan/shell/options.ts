import type { Token } from '../token';

/** A slice of one token: where an option's value or a positional argument is written. */
export interface TokenSlice {
  token: Token;
  from: number;
  to: number;
}

export type ArgumentItem =
  | { kind: 'option'; name: string; value?: TokenSlice; token: Token }
  | { kind: 'positional'; value: TokenSlice; token: Token };

/** Which options of a program take a value: `-p 22`, `-p22`, `--port 22`, `--port=22`. */
export interface OptionSpec {
  short?: string;
  long?: string[];
}

/**
 * Reads a command's arguments the way getopt would: clustered short flags (`-lvnp 4444`), attached values
 * (`-p2222`, `--port=2222`), and `--` ending the options. Options it does not know take no value.
 */
export function readArguments(args: readonly Token[], spec: OptionSpec): ArgumentItem[] {
  const shortWithValue = spec.short ?? '';
  const longWithValue = new Set(spec.long ?? []);
  const items: ArgumentItem[] = [];
  let optionsEnded = false;
  for (let index = 0; index < args.length; index++) {
    const token = args[index];
    const text = token.text;
    const whole = (t: Token): TokenSlice => ({ token: t, from: 0, to: t.text.length });
    if (optionsEnded || text === '-' || !text.startsWith('-') || !token.literal) {
      items.push({ kind: 'positional', value: whole(token), token });
      continue;
    }
    if (text === '--') {
      optionsEnded = true;
      continue;
    }
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      const name = equals < 0 ? text : text.slice(0, equals);
      if (equals >= 0) {
        items.push({ kind: 'option', name, value: { token, from: equals + 1, to: text.length }, token });
      } else if (longWithValue.has(name) && index + 1 < args.length) {
        items.push({ kind: 'option', name, value: whole(args[++index]), token });
      } else {
        items.push({ kind: 'option', name, token });
      }
      continue;
    }
    for (let at = 1; at < text.length; at++) {
      const name = `-${text[at]}`;
      if (!shortWithValue.includes(text[at])) {
        items.push({ kind: 'option', name, token });
        continue;
      }
      if (at + 1 < text.length) {
        const from = text[at + 1] === '=' ? at + 2 : at + 1;
        items.push({ kind: 'option', name, value: { token, from, to: text.length }, token });
      } else if (index + 1 < args.length) {
        items.push({ kind: 'option', name, value: whole(args[++index]), token });
      } else {
        items.push({ kind: 'option', name, token });
      }
      break;
    }
  }
  return items;
}

export function optionValues(items: readonly ArgumentItem[], ...names: string[]): TokenSlice[] {
  const values: TokenSlice[] = [];
  for (const item of items) {
    if (item.kind === 'option' && item.value && names.includes(item.name)) values.push(item.value);
  }
  return values;
}

export function hasOption(items: readonly ArgumentItem[], ...names: string[]): boolean {
  return items.some((item) => item.kind === 'option' && names.includes(item.name));
}

export function positionals(items: readonly ArgumentItem[]): TokenSlice[] {
  const values: TokenSlice[] = [];
  for (const item of items) if (item.kind === 'positional') values.push(item.value);
  return values;
}

export function sliceText(slice: TokenSlice): string {
  return slice.token.text.slice(slice.from, slice.to);
}

/**
 * Where the first operand is among a command's arguments, for programs that stop reading options there (`ssh
 * [options] destination command`, `docker run [options] image command`): what follows belongs to another command.
 */
export function firstOperandIndex(args: readonly Token[], spec: OptionSpec): number {
  const longWithValue = new Set(spec.long ?? []);
  for (let index = 0; index < args.length; index++) {
    const text = args[index].text;
    if (text === '--') return index + 1;
    if (text === '-' || !text.startsWith('-') || !args[index].literal) return index;
    if (text.startsWith('--')) {
      if (!text.includes('=') && longWithValue.has(text)) index++;
      continue;
    }
    const valued = [...text.slice(1)].findIndex((letter) => (spec.short ?? '').includes(letter));
    // A value-taking letter last in its cluster takes the next argument as its value.
    if (valued >= 0 && valued === text.length - 2) index++;
  }
  return args.length;
}
