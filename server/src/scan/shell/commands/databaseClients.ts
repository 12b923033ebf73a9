import type { CommandHandler } from '../command';
import { type OptionSpec, optionValues, positionals, readArguments, sliceText } from '../options';

/**
 * A client whose port option and host option are known; the port is where it connects, to the service the
 * client speaks to. With `conninfo`, a `key=value` connection string argument (`"host=db port=5432"`) names one too.
 */
function client(
  tool: string,
  service: string,
  spec: OptionSpec,
  portOptions: string[],
  hostOptions: string[],
  conninfo = false,
): CommandHandler {
  return (command, out) => {
    const items = readArguments(command.args, spec);
    const peer = optionValues(items, ...hostOptions).map(sliceText)[0];
    const facts = { protocol: 'tcp', role: 'connect', exposure: 'unknown', service } as const;
    for (const value of optionValues(items, ...portOptions)) {
      out.addPort(value.token, value.from, value.to, { ...facts, context: { tool, direction: 'outbound', peer } });
    }
    if (!conninfo) return;
    for (const slice of positionals(items)) {
      const text = sliceText(slice);
      const host = /(?:^|\s)host\s*=\s*([^\s']+)/.exec(text)?.[1];
      for (const match of text.matchAll(/(?:^|\s)port\s*=\s*(\d+)/g)) {
        const from = slice.from + match.index + match[0].length - match[1].length;
        const context = { tool, direction: 'outbound' as const, peer: host ?? peer };
        out.addPort(slice.token, from, from + match[1].length, { ...facts, context });
      }
    }
  };
}

const postgresClient = (tool: string) =>
  client(
    tool,
    'postgresql',
    { short: 'cdfhLoPpTUvW', long: ['--host', '--port', '--username', '--dbname', '--command', '--file'] },
    ['-p', '--port'],
    ['-h', '--host'],
    true,
  );

export const databaseClientCommands: Record<string, CommandHandler> = {
  'redis-cli': client('redis-cli', 'redis', { short: 'acdDhinprsu' }, ['-p'], ['-h']),
  psql: postgresClient('psql'),
  pg_dump: postgresClient('pg_dump'),
  pg_restore: postgresClient('pg_restore'),
  pg_isready: postgresClient('pg_isready'),
  // mysql's -p is the password, written attached (-pSECRET); the port is -P.
  mysql: client(
    'mysql',
    'mysql',
    { short: 'DehPSu', long: ['--host', '--port', '--user', '--database', '--execute', '--socket'] },
    ['-P', '--port'],
    ['-h', '--host'],
  ),
  mysqldump: client(
    'mysqldump',
    'mysql',
    { short: 'DhPSu', long: ['--host', '--port', '--user'] },
    ['-P', '--port'],
    ['-h', '--host'],
  ),
  mongosh: client('mongosh', 'mongodb', { long: ['--host', '--port', '--username'] }, ['--port'], ['--host']),
  mongo: client('mongo', 'mongodb', { long: ['--host', '--port', '--username'] }, ['--port'], ['--host']),
};
