import { MentionCollector } from '../collector';
import { bindingExposure } from '../exposure';
import type { FormatScanner, ScanContext } from '../format';
import { keyValueLines } from './lines';

export const REDIS_CONF = 'redis-conf';
export const MYSQL_CNF = 'mysql-cnf';

/**
 * redis.conf a script writes: `port` and `tls-port` listen on the `bind` addresses, or on every interface when
 * the file has no `bind` (redis.conf: "all the network interfaces"); `port 0` turns the listener off.
 */
export const redisConfScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(REDIS_CONF, context.resolveServiceName);
    const lines = keyValueLines(text, /^\s*([a-z-]+)\s+(.*)$/i);
    const binds = lines.filter((line) => line.key.toLowerCase() === 'bind').map((line) => line.value.text);
    const exposure = bindingExposure(binds, 'any');
    const bindAddress = binds.join(' ') || undefined;
    for (const { key, value } of lines) {
      const name = key.toLowerCase();
      if (name !== 'port' && name !== 'tls-port') continue;
      out.addPort(value, 0, value.text.length, {
        protocol: 'tcp',
        role: 'listen',
        exposure,
        context: { tool: 'redis.conf', direction: 'inbound', bindAddress, note: name },
        service: 'redis',
      });
    }
    return out.output;
  },
};

/** Option groups the MySQL and MariaDB servers read; `[client]` and the tools' groups name the port they connect to. */
const SERVER_GROUPS = new Set(['mysqld', 'server', 'mariadb', 'mariadbd', 'mysqld_safe']);

/**
 * my.cnf a script writes: `port` in a server group listens on `bind-address`, every interface by default
 * (MySQL 8 and MariaDB); in a client group it is the port clients connect to.
 */
export const mysqlCnfScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(MYSQL_CNF, context.resolveServiceName);
    const lines = keyValueLines(text, /^\s*([A-Za-z_-]+)\s*=\s*(.*)$/);
    const isServer = (section: string | undefined) => section !== undefined && SERVER_GROUPS.has(section);
    const binds = lines
      .filter((line) => isServer(line.section) && line.key.replace(/_/g, '-').toLowerCase() === 'bind-address')
      .map((line) => line.value.text);
    const exposure = bindingExposure(binds, 'any');
    for (const { key, value, section } of lines) {
      if (key.toLowerCase() !== 'port') continue;
      const server = isServer(section);
      out.addPort(value, 0, value.text.length, {
        protocol: 'tcp',
        role: server ? 'listen' : 'connect',
        exposure: server ? exposure : 'unknown',
        context: server
          ? { tool: 'my.cnf', direction: 'inbound', bindAddress: binds.join(', ') || undefined, note: `[${section}]` }
          : { tool: 'my.cnf', direction: 'outbound', note: section ? `[${section}]` : undefined },
        service: 'mysql',
      });
    }
    return out.output;
  },
};
