import type { ServiceNameResolver } from '../collector';

/**
 * Names that /etc/services gives as names or aliases, or that the BSDs add, which the IANA registry does not list
 * under that name for TCP and UDP (IANA gives `http` to SCTP only, and 591 as `http-alt`): nft and pfctl resolve
 * them through the system's services file. Linux values from Debian's netbase 6.4 /etc/services; spamd's from
 * OpenBSD's /etc/services.
 */
const SYSTEM_ALIASES = new Map([
  ['http', 80],
  ['www', 80],
  ['http-alt', 8080],
  ['webcache', 8080],
  ['ident', 113],
  ['authentication', 113],
  ['postgres', 5432],
  ['x11', 6000],
  ['x11-0', 6000],
  ['spamd', 8025],
  ['spamd-cfg', 8026],
  ['smtps', 465],
  ['ssmtp', 465],
]);

export function withSystemAliases(resolve: ServiceNameResolver): ServiceNameResolver {
  return (name, protocol) => SYSTEM_ALIASES.get(name.toLowerCase()) ?? resolve(name, protocol);
}
