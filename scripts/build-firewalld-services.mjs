// Compiles firewalld's stock service definitions (the XML files of /usr/lib/firewalld/services) into the table
// that the firewalld scanner resolves `<service name="ssh"/>`, `--add-service=ssh` and rich-rule services with.
//
//   node scripts/build-firewalld-services.mjs DIR "firewalld 1.3.3 (Debian package 1.3.3-1~deb12u2)"
//
// DIR holds the service files; the second argument names the release they come from. Debian's package can be
// unpacked without installing it: `apt-get download firewalld && dpkg -x firewalld_*.deb fw` gives
// fw/usr/lib/firewalld/services. The table is committed: building Port Lens must not need Debian's registry.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [directory, release] = process.argv.slice(2);
if (!directory || !release) {
  console.error('usage: node scripts/build-firewalld-services.mjs SERVICES_DIR "RELEASE"');
  process.exit(2);
}

const attributes = (tag) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
const services = {};
for (const file of readdirSync(directory).filter((name) => name.endsWith('.xml')).sort()) {
  const text = readFileSync(join(directory, file), 'utf8');
  const tags = (name) => [...text.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((match) => attributes(match[0]));
  const entry = { ports: tags('port').map((port) => `${port.port}/${port.protocol}`) };
  const includes = tags('include').map((include) => include.service);
  if (includes.length > 0) entry.includes = includes;
  const short = /<short>([^<]*)<\/short>/.exec(text)?.[1];
  if (short) entry.short = short;
  services[file.slice(0, -'.xml'.length)] = entry;
}

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'src', 'scan', 'firewalld', 'stockServices.json');
writeFileSync(target, `${JSON.stringify({ source: `${release}, /usr/lib/firewalld/services`, services }, null, 1)}\n`);
console.log(`firewalld services: ${Object.keys(services).length} definitions from ${release}`);
