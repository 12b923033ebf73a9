/** The lower-case words of a variable's name: `CD_API_PORT`, `dbPort` and `ssh-port` alike. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
}

/** True when a variable's name says it holds a port: `PORT`, `CD_API_PORT`, `dbPort`, `SSH_PORTS`. */
export function namesAPort(name: string): boolean {
  if (!/port/i.test(name)) return false;
  const words = nameWords(name);
  return words.includes('port') || words.includes('ports');
}

/**
 * Words in a variable's name that say which service its port is for (`REDIS_PORT`, `sshPort`, `PG_PORT`), with the
 * name the catalog knows the service by.
 */
const SERVICE_WORDS = new Map([
  ['ssh', 'ssh'],
  ['sshd', 'ssh'],
  ['redis', 'redis'],
  ['postgres', 'postgresql'],
  ['postgresql', 'postgresql'],
  ['pg', 'postgresql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['mongo', 'mongodb'],
  ['mongodb', 'mongodb'],
  ['docker', 'docker'],
  ['elasticsearch', 'elasticsearch'],
  ['kibana', 'kibana'],
  ['rdp', 'ms-wbt-server'],
  ['vnc', 'rfb'],
  ['smtp', 'smtp'],
  ['telnet', 'telnet'],
  ['ftp', 'ftp'],
  ['memcached', 'memcache'],
]);

/** The service a port variable's name says its port is for, if it names exactly one. */
export function serviceNamedBy(name: string): string | undefined {
  if (!namesAPort(name)) return undefined;
  const services = new Set(nameWords(name).flatMap((word) => SERVICE_WORDS.get(word) ?? []));
  return services.size === 1 ? [...services][0] : undefined;
}
