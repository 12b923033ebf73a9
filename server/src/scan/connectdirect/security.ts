/**
 * Secure+ protocol names older than TLS 1.2, as the process language (`SECURE=TLS11`), the AIJ/CLI (`TLS`, which
 * means TLS 1.0 next to `TLS11` and `TLS12`) and spcli (`protocol=(tls1.0)`) write them. IBM deprecated them in 6.3.
 */
const WEAK_PROTOCOLS = new Map([
  ['ssl', 'SSL'],
  ['ssl2', 'SSL 2.0'],
  ['ssl20', 'SSL 2.0'],
  ['ssl3', 'SSL 3.0'],
  ['ssl30', 'SSL 3.0'],
  ['tls', 'TLS 1.0'],
  ['tls1', 'TLS 1.0'],
  ['tls10', 'TLS 1.0'],
  ['tls11', 'TLS 1.1'],
]);

/** The protocol's name in words when `word` names SSL, TLS 1.0 or TLS 1.1; undefined otherwise. */
export function weakProtocolName(word: string): string | undefined {
  const normalized = word
    .toLowerCase()
    .replace(/[._ ]/g, '')
    .replace(/^(ssl|tls)v/, '$1');
  return WEAK_PROTOCOLS.get(normalized);
}

/** Names that hold a password: `&pw`, `&MYPW`, `CD_KEYSTORE_PWD`, `passphrase`. */
export function namesAPassword(name: string): boolean {
  return /(pw|pwd|pswd|passwd|password|passphrase)$/i.test(name.replace(/^&/, ''));
}

/** True when a password value is written out, rather than left empty or taken from a symbolic or variable. */
export function isLiteralSecret(value: string): boolean {
  return value.length > 0 && !/^[&$%]/.test(value);
}
