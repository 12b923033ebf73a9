import type { Token } from '../../token';

/** A value the script gives a variable, as far as the text shows it. */
export interface VariableValue {
  /** The value, each character mapped to where it is written: an assignment, a call's argument, a loop's list. */
  token: Token;
  /** The elements of an array (`cmd=(iptables -A INPUT)`); a scalar has none, and `$cmd` is the first element. */
  elements?: readonly Token[];
  /** How the value reached the variable, for the hover: "assigned to P", "argument 1 of open_port". */
  note: string;
}

/** What one function call sees: its arguments and the variables it declared `local`. */
interface CallFrame {
  /** Undefined when the arguments are not known: a function read where it is defined. */
  parameters: (VariableValue | undefined)[] | undefined;
  readonly locals: Map<string, VariableValue | undefined>;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isPositional(name: string): boolean {
  const code = name.charCodeAt(0);
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/**
 * The variables of a script at the point being read, in script order: globals, and for each function call being
 * evaluated its positional parameters and locals, as bash scopes them (a function sees its callers' locals).
 * An unknown value (read from the environment, from a command's output) is absent.
 */
export class ShellEnvironment {
  private readonly globals = new Map<string, VariableValue>();
  private readonly frames: CallFrame[] = [];

  get(name: string): VariableValue | undefined {
    if (isPositional(name)) return this.parameter(Number(name));
    for (let index = this.frames.length - 1; index >= 0; index--) {
      const frame = this.frames[index];
      if (frame.locals.has(name)) return frame.locals.get(name);
    }
    return this.globals.get(name);
  }

  /** Assigns where bash would: the innermost call that declared the name local, else the global. */
  set(name: string, value: VariableValue | undefined): void {
    for (let index = this.frames.length - 1; index >= 0; index--) {
      const frame = this.frames[index];
      if (frame.locals.has(name)) {
        frame.locals.set(name, value);
        return;
      }
    }
    if (value) this.globals.set(name, value);
    else this.globals.delete(name);
  }

  /** `local name=value` (and `declare` inside a function); at the top level it is a plain assignment. */
  declareLocal(name: string, value: VariableValue | undefined): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame) frame.locals.set(name, value);
    else this.set(name, value);
  }

  /** `$1`, `$2`, ...: the current call's arguments; the script's own (`$0`, and any outside a call) are unknown. */
  parameter(index: number): VariableValue | undefined {
    const frame = this.frames[this.frames.length - 1];
    return index > 0 ? frame?.parameters?.[index - 1] : undefined;
  }

  /** `"$@"`: every argument of the current call; undefined outside a call, where they are the script's, or unknown. */
  parameters(): readonly (VariableValue | undefined)[] | undefined {
    return this.frames[this.frames.length - 1]?.parameters;
  }

  /** `shift N` drops the first arguments of the current call. */
  shift(count: number): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame?.parameters) frame.parameters = frame.parameters.slice(count);
  }

  /** How many function calls are being evaluated, one inside the other. */
  get depth(): number {
    return this.frames.length;
  }

  /** Evaluates a function call with its arguments: locals and parameters last as long as `body` runs. */
  call(parameters: (VariableValue | undefined)[] | undefined, body: () => void): void {
    this.frames.push({ parameters, locals: new Map() });
    try {
      body();
    } finally {
      this.frames.pop();
    }
  }
}
