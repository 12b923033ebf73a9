import type { CommandHandler } from '../command';
import { type OptionSpec, optionValues, readArguments, sliceText } from '../options';

/** A client whose port option and host option are known; the port is where it connects. */
function client(tool: string, spec: OptionSpec, portOptions: string[], hostOptions: string[]): CommandHandler {
  return (command, out) => {
    const items = readArguments(command.args, spec);
    const peer = optionValues(items, ...hostOptions).map(sliceText)[0];
    for (const value of optionValues(items, ...portOptions)) {
      out.addPort(value.token, value.from, value.to, {
        protocol: 'tcp',
        role: 'connect',
        exposure: 'unknown',
        context: { tool, direction: 'outbound', peer },
      });
    }
  };
}

const postgresClient = (tool: string) =>
  client(
    tool,
    { short: 'cdfhLoPpTUvW', long: ['--host', '--port', '--username', '--dbname', '--command', '--file'] },
    ['-p', '--port'],
    ['-h', '--host'],
  );

export const databaseClientCommands: Record<string, CommandHandler> = {
  'redis-cli': client('redis-cli', { short: 'acdDhinprsu' }, ['-p'], ['-h']),
  psql: postgresClient('psql'),
  pg_dump: postgresClient('pg_dump'),
  pg_restore: postgresClient('pg_restore'),
  pg_isready: postgresClient('pg_isready'),
  // mysql's -p is the password, written attached (-pSECRET); the port is -P.
  mysql: client(
    'mysql',
    { short: 'DehPSu', long: ['--host', '--port', '--user', '--database', '--execute', '--socket'] },
    ['-P', '--port'],
    ['-h', '--host'],
  ),
  mysqldump: client(
    'mysqldump',
    { short: 'DhPSu', long: ['--host', '--port', '--user'] },
    ['-P', '--port'],
    ['-h', '--host'],
  ),
  mongosh: client('mongosh', { long: ['--host', '--port', '--username'] }, ['--port'], ['--host']),
  mongo: client('mongo', { long: ['--host', '--port', '--username'] }, ['--port'], ['--host']),
};
