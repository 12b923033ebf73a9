import type { FormatDefinition } from '../format';
import { COMPOSE, composeScanner } from './compose';
import { MYSQL_CNF, REDIS_CONF, mysqlCnfScanner, redisConfScanner } from './daemonConfigs';
import { ENV_FILE, envFileScanner } from './envFile';
import { SYSTEMD_UNIT, systemdUnitScanner } from './systemdUnit';

/**
 * Configuration files of services that scripts write with heredocs, `echo` or `tee`: met only inside scripts,
 * never reported as files of their own, like sshd_config.
 */
export const serviceConfigFormats: FormatDefinition[] = [
  {
    languageId: SYSTEMD_UNIT,
    standalone: false,
    fileNames: [/(^|\/)[^/]+\.(service|socket)$/],
    comment: { line: '#' },
    scanner: systemdUnitScanner,
    // ExecStart and its kin are command lines.
    embeds: ['shellscript'],
  },
  {
    languageId: COMPOSE,
    standalone: false,
    fileNames: [/(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/],
    comment: { line: '#' },
    scanner: composeScanner,
  },
  {
    languageId: ENV_FILE,
    standalone: false,
    fileNames: [/(^|\/)\.env(\.[\w-]+)?$/, /(^|\/)[\w-]+\.env$/],
    comment: { line: '#' },
    scanner: envFileScanner,
  },
  {
    languageId: REDIS_CONF,
    standalone: false,
    fileNames: [/(^|\/)redis[\w.-]*\.conf$/],
    comment: { line: '#' },
    scanner: redisConfScanner,
  },
  {
    languageId: MYSQL_CNF,
    standalone: false,
    fileNames: [/(^|\/)(my|mysqld|mariadb|server|50-server)\.cnf$/, /(^|\/)mysql\/[^/]+\.cnf$/],
    comment: { line: '#' },
    scanner: mysqlCnfScanner,
  },
];
