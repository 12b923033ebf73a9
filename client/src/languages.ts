/**
 * Languages the server reads: its registry's standalone formats. package.json activates the extension on the same
 * list, and a unit test (test/unit/manifest.test.ts) holds the three to each other.
 */
export const LANGUAGES = [
  'shellscript',
  'firewalld',
  'iptables',
  'ufw',
  'ufw-profile',
  'nftables',
  'pf',
  'connectdirect',
  'connectdirect-netmap',
  'connectdirect-initparm',
  'connectdirect-config',
  'connectdirect-ini',
  'connectdirect-zos',
  'connectdirect-spcli',
];
