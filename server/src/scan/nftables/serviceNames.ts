import type { ServiceNameResolver } from '../collector';

/**
 * Names that /etc/services gives as aliases, or that the BSDs add, which the IANA registry does not list under
 * that name; nft and pfctl resolve them through the system's services file.
 */
const SYSTEM_ALIASES = new Map([
  ['www', 80],
  ['spamd', 8025],
  ['spamd-cfg', 8026],
  ['smtps', 465],
  ['ssmtp', 465],
]);

export function withSystemAliases(resolve: ServiceNameResolver): ServiceNameResolver {
  return (name, protocol) => SYSTEM_ALIASES.get(name.toLowerCase()) ?? resolve(name, protocol);
}
