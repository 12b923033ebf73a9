import type { Token } from '../token';
import type { ShellCommand } from './command';
import { RUN_OPTIONS } from './commands/containers';
import { SSH_OPTIONS } from './commands/remoteShell';
import { firstOperandIndex } from './options';

/** A command another program runs for the script, and where it runs. */
export interface WrappedCommand {
  words: Token[];
  /** Where the command runs, for the note on its ports: "on db01 (through ssh)". */
  where: string;
  /**
   * In a container or pod of its own network: a port it listens on or allows is reachable only through what the
   * container publishes, so the wrapped command cannot say who reaches it.
   */
  isolated: boolean;
}

const ENGINES = new Set(['docker', 'podman', 'nerdctl']);
const KUBECTL_EXEC_OPTIONS = {
  short: 'cfn',
  long: ['--namespace', '--container', '--context', '--kubeconfig', '--filename', '--pod-running-timeout'],
};

/**
 * The command in `ssh HOST CMD...`, `docker run [options] IMAGE CMD...` (podman and nerdctl alike) and
 * `kubectl exec POD -- CMD...`, which the readers read as they read the script's own commands.
 */
export function wrappedCommand(command: ShellCommand): WrappedCommand | undefined {
  const { name, args } = command;
  if (name === 'ssh') {
    const at = firstOperandIndex(args, SSH_OPTIONS);
    const host = args[at]?.text.replace(/^[^@]*@/, '');
    const words = args.slice(at + 1);
    return host && words.length > 0 ? { words, where: `on ${host} (through ssh)`, isolated: false } : undefined;
  }
  if (ENGINES.has(name)) {
    const verb = args.findIndex((arg) => arg.text === 'run' || arg.text === 'exec');
    if (verb < 0 || verb > 1) return undefined;
    const options = args.slice(verb + 1);
    const at = firstOperandIndex(options, RUN_OPTIONS);
    const words = options.slice(at + 1);
    if (!options[at] || words.length === 0) return undefined;
    const hostNetwork = options
      .slice(0, at)
      .some(
        (arg, index) =>
          /^--net(work)?=host$/.test(arg.text) ||
          (/^--net(work)?$/.test(arg.text) && options[index + 1]?.text === 'host'),
      );
    const what = args[verb].text === 'run' ? `image ${options[at].text}` : `container ${options[at].text}`;
    return { words, where: `in a ${name} container (${what})`, isolated: !hostNetwork };
  }
  if (name === 'kubectl' || name === 'oc') {
    const verb = args.findIndex((arg) => arg.text === 'exec');
    const separator = args.findIndex((arg) => arg.text === '--');
    if (verb < 0 || separator < verb) return undefined;
    const options = args.slice(verb + 1, separator);
    const pod = options[firstOperandIndex(options, KUBECTL_EXEC_OPTIONS)]?.text;
    return { words: args.slice(separator + 1), where: `in pod ${pod ?? 'of kubectl exec'}`, isolated: true };
  }
  return undefined;
}
