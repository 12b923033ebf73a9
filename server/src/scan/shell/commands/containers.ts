import type { Protocol } from '../../../catalog/types';
import { type MentionCollector, parsePortNumber } from '../../collector';
import { classifyAddress, widest } from '../../exposure';
import { splitColonFields } from '../../hostPort';
import type { Exposure } from '../../mention';
import type { CommandHandler } from '../command';
import { type TokenSlice, firstOperandIndex, optionValues, positionals, readArguments, sliceText } from '../options';

// Value-taking short options of `docker run` / `podman run`, so clustered flags such as `-it` read right.
export const RUN_OPTIONS = {
  short: 'acehlmpuvw',
  long: [
    '--publish',
    '--expose',
    '--name',
    '--network',
    '--env',
    '--volume',
    '--label',
    '--user',
    '--workdir',
    '--entrypoint',
  ],
};

/**
 * One `-p` value, short syntax `[ip:][hostPort:]containerPort[/proto]` (ranges `a-b`), or the long syntax
 * `published=8080,target=80[,protocol=udp]`. Without an address Docker publishes on every interface and,
 * through its own iptables chains, past ufw.
 */
export function addPublish(value: TokenSlice, out: MentionCollector, tool: string): void {
  const text = sliceText(value);
  if (text.includes('=')) {
    addLongPublish(value, out, tool);
    return;
  }
  const slash = text.lastIndexOf('/');
  const protocol: Protocol =
    slash >= 0 && /^(tcp|udp|sctp)$/i.test(text.slice(slash + 1))
      ? (text.slice(slash + 1).toLowerCase() as Protocol)
      : 'tcp';
  const to = slash >= 0 ? value.from + slash : value.to;
  const fields = splitColonFields(value.token.text, value.from, to);
  if (fields.length === 0 || fields.length > 3) return;
  const address = fields.length === 3 ? fields[0].text.replace(/^\[|\]$/g, '') : undefined;
  const exposure: Exposure = address ? classifyAddress(address) : 'any';
  const container = fields[fields.length - 1];
  const host = fields.length >= 2 ? fields[fields.length - 2] : undefined;
  const context = { tool, direction: 'inbound' as const, bindAddress: address };
  if (host && host.text) {
    out.addPort(
      value.token,
      host.from,
      host.to,
      {
        protocol,
        role: 'publish',
        exposure,
        context: { ...context, mappedTo: `container port ${container.text}`, mappedPort: firstPort(container.text) },
      },
      { rangeSeparators: '-' },
    );
    out.addPort(
      value.token,
      container.from,
      container.to,
      {
        protocol,
        role: 'forward',
        exposure,
        context: { ...context, mappedTo: `host port ${host.text}`, note: 'port inside the container' },
      },
      { rangeSeparators: '-' },
    );
    return;
  }
  out.addPort(
    value.token,
    container.from,
    container.to,
    {
      protocol,
      role: 'publish',
      exposure,
      context: { ...context, note: 'container port published on a random host port' },
    },
    { rangeSeparators: '-' },
  );
}

function addLongPublish(value: TokenSlice, out: MentionCollector, tool: string): void {
  const text = sliceText(value);
  const field = (name: string): TokenSlice | undefined => {
    const match = new RegExp(`(?:^|,)${name}=([^,]*)`).exec(text);
    if (!match) return undefined;
    const from = value.from + match.index + match[0].length - match[1].length;
    return { token: value.token, from, to: from + match[1].length };
  };
  const protocol = field('protocol');
  addPublishFields(out, tool, {
    published: field('published'),
    target: field('target'),
    protocol: protocol ? (sliceText(protocol).toLowerCase() as Protocol) : 'tcp',
  });
}

/**
 * A publish written as separate fields (`published=8080,target=80`, a compose file's long syntax): the host side
 * publishes on `hostIp`, or on every interface; the container side is where the traffic goes.
 */
export function addPublishFields(
  out: MentionCollector,
  tool: string,
  fields: { published?: TokenSlice; target?: TokenSlice; protocol: Protocol; hostIp?: string },
): void {
  const { published, target, protocol, hostIp } = fields;
  const exposure: Exposure = hostIp ? classifyAddress(hostIp) : 'any';
  const context = { tool, direction: 'inbound' as const, bindAddress: hostIp };
  const targetText = target && sliceText(target);
  if (published) {
    const mapping = targetText && { mappedTo: `container port ${targetText}`, mappedPort: firstPort(targetText) };
    out.addPort(
      published.token,
      published.from,
      published.to,
      { protocol, role: 'publish', exposure, context: { ...context, ...mapping } },
      { rangeSeparators: '-' },
    );
  }
  if (target) {
    const note = published ? 'port inside the container' : 'container port published on a random host port';
    out.addPort(
      target.token,
      target.from,
      target.to,
      { protocol, role: published ? 'forward' : 'publish', exposure, context: { ...context, note } },
      { rangeSeparators: '-' },
    );
  }
}

/** The first port of `6379` or `3300-3310`, for judging the service behind a published port. */
function firstPort(text: string): number | undefined {
  return parsePortNumber(text.split('-')[0]);
}

/** `docker run|create -p ...`, also as `docker container run`, and podman/nerdctl with the same flags. */
function containerEngine(tool: string): CommandHandler {
  return (command, out) => {
    const words = command.args.map((token) => token.text);
    const verbAt = words.findIndex((word) => word === 'run' || word === 'create');
    if (verbAt < 0 || verbAt > 1 || (verbAt === 1 && words[0] !== 'container' && words[0] !== 'service')) return;
    // Options end at the image: what follows is the command the container runs (shell/wrapped.ts reads it).
    const options = command.args.slice(verbAt + 1);
    const items = readArguments(options.slice(0, firstOperandIndex(options, RUN_OPTIONS)), RUN_OPTIONS);
    const label = `${tool} ${words.slice(0, verbAt + 1).join(' ')}`;
    for (const value of optionValues(items, '-p', '--publish')) addPublish(value, out, label);
    for (const value of optionValues(items, '--expose')) {
      out.addPort(
        value.token,
        value.from,
        value.to,
        {
          protocol: 'tcp',
          role: 'define',
          exposure: 'unknown',
          context: { tool: label, note: 'exposed to other containers only; not published on the host' },
        },
        { rangeSeparators: '-' },
      );
    }
  };
}

const KUBECTL_PORT_FORWARD_OPTIONS = {
  short: 'n',
  long: ['--address', '--namespace', '--pod-running-timeout', '--context', '--kubeconfig'],
};

/**
 * `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE ... [--address ADDR,...]`. The local side listens on
 * localhost unless `--address` says otherwise; the remote side is the pod's port.
 */
const kubectl: CommandHandler = (command, out) => {
  const verbAt = command.args.findIndex((token) => token.text === 'port-forward');
  if (verbAt < 0) return;
  const items = readArguments(command.args.slice(verbAt + 1), KUBECTL_PORT_FORWARD_OPTIONS);
  const addresses = optionValues(items, '--address').flatMap((value) => sliceText(value).split(','));
  const exposure: Exposure = addresses.length === 0 ? 'loopback' : widest(addresses.map(classifyAddress));
  const [resource, ...specs] = positionals(items);
  const context = {
    tool: 'kubectl port-forward',
    peer: resource && sliceText(resource),
    bindAddress: addresses.join(',') || undefined,
  };
  for (const spec of specs) {
    const fields = splitColonFields(spec.token.text, spec.from, spec.to);
    if (fields.length > 2) continue;
    const remote = fields[fields.length - 1];
    const local = fields.length === 2 ? fields[0] : remote;
    if (local.text) {
      out.addPort(spec.token, local.from, local.to, {
        protocol: 'tcp',
        role: 'listen',
        exposure,
        context: { ...context, direction: 'inbound', mappedTo: `${context.peer} port ${remote.text}` },
      });
    }
    if (fields.length === 2) {
      out.addPort(spec.token, remote.from, remote.to, {
        protocol: 'tcp',
        role: 'forward',
        exposure: 'unknown',
        context: { ...context, note: 'port of the pod or service' },
      });
    }
  }
};

export const containerCommands: Record<string, CommandHandler> = {
  docker: containerEngine('docker'),
  podman: containerEngine('podman'),
  nerdctl: containerEngine('nerdctl'),
  kubectl,
  oc: kubectl,
};
