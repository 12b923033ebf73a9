import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { PortCatalog, parsePortKey } from '../../server/src/catalog/catalog';
import curated from '../../server/src/catalog/curated-ports.json';
import { IANA_TABLE } from '../../server/src/catalog/generated/ianaTable';
import { IanaRegistry } from '../../server/src/catalog/iana';
import type { CuratedCatalogFile } from '../../server/src/catalog/types';

const catalog = new PortCatalog();

describe('port catalog', () => {
  describe('IANA registry', () => {
    it('holds the IANA assignments, about 12,000 port/protocol entries, merged across protocols', () => {
      assert.equal(catalog.iana.entries(1363, 'tcp')[0].name, 'ndm-requester');
      assert.equal(catalog.iana.entries(1364, 'tcp')[0].name, 'ndm-server');
      assert.equal(catalog.iana.entries(447, 'tcp')[0].name, 'ddm-dfm');
      assert.deepEqual(catalog.iana.entries(53, 'any')[0].protocols.sort(), ['tcp', 'udp']);
      let assigned = 0;
      for (let port = 0; port <= 65535; port++)
        assigned += catalog.iana.entries(port, 'any').reduce((sum, entry) => sum + entry.protocols.length, 0);
      assert.ok(assigned > 11_000 && assigned < 14_000, `${assigned} port/protocol entries`);
    });

    it('resolves service names the way /etc/services does', () => {
      assert.equal(catalog.iana.portForName('ssh'), 22);
      assert.equal(catalog.iana.portForName('HTTPS'), 443);
      assert.equal(catalog.iana.portForName('domain', 'udp'), 53);
      assert.equal(catalog.iana.portForName('no-such-service'), undefined);
    });

    it('counts assigned services in a range', () => {
      assert.equal(catalog.iana.assignedCount(1363, 1364), 2);
      assert.equal(catalog.iana.assignedCount(446, 449), 4);
    });

    it('reads each port as a plain reading of the whole table does', () => {
      // The reference: every line split into its fields at once.
      const rows = IANA_TABLE.split('\n').map((line) => {
        const [port, letters, name, description] = line.split('\t');
        return { port: Number(port), letters, name, description };
      });
      const letter = { tcp: 't', udp: 'u', sctp: 's', dccp: 'd' } as const;
      const protocols = ['tcp', 'udp', 'sctp', 'dccp', 'any'] as const;
      // A fresh registry per case, so that no earlier question has read the lines this one asks for.
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(...protocols), (port, protocol) => {
          const expected = rows.filter(
            (row) => row.port === port && (protocol === 'any' || row.letters.includes(letter[protocol])),
          );
          const actual = new IanaRegistry().entries(port, protocol);
          assert.deepEqual(
            actual.map((entry) => [entry.port, entry.name, entry.description, entry.protocols.length]),
            expected.map((row) => [row.port, row.name, row.description, row.letters.length]),
          );
        }),
        { numRuns: 300 },
      );
      const registry = new IanaRegistry();
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 2000 }), (first, width) => {
          const last = Math.min(65535, first + width);
          const named = new Set(
            rows.filter((row) => row.name && row.port >= first && row.port <= last).map((row) => row.port),
          );
          assert.equal(registry.assignedCount(first, last), named.size);
        }),
        { numRuns: 300 },
      );
      const firstPortOfName = new Map<string, number>();
      for (const row of rows)
        if (row.name && !firstPortOfName.has(row.name.toLowerCase()))
          firstPortOfName.set(row.name.toLowerCase(), row.port);
      for (const [name, port] of firstPortOfName) assert.equal(registry.portForName(name), port, name);
    });
  });

  describe('curated knowledge', () => {
    it('classes the ports of the severity policy', () => {
      for (const port of [
        1363, 446, 447, 8470, 8476, 2375, 10250, 10255, 2379, 2380, 6379, 11211, 27017, 9200, 9300, 23, 512, 513, 5900,
        3389, 135, 139, 445,
      ]) {
        assert.equal(catalog.lookup(port, 'tcp').risk, 'critical', `${port}`);
      }
      for (const port of [22, 21, 1364, 448, 449, 9470, 9476, 3306, 5432, 1433, 1521, 389, 5985, 10000, 25, 110, 143]) {
        assert.equal(catalog.lookup(port, 'tcp').risk, 'sensitive', `${port}`);
      }
      assert.equal(catalog.lookup(161, 'udp').risk, 'sensitive');
      assert.equal(catalog.lookup(80, 'tcp').risk, 'standard');
      assert.equal(catalog.lookup(31337, 'tcp').risk, 'standard');
    });

    it('names IBM i host servers as IBM i does, where IANA registers the ports to other services', () => {
      const info = catalog.lookup(8470, 'tcp');
      assert.equal(info.service, 'as-central');
      assert.equal(info.iana[0].name, 'cisco-avp');
      assert.match(info.curated!.title, /IBM i/);
      assert.ok(info.curated!.uses.some((use) => /as-central/.test(use)));
    });

    it('describes a port by the service the text names, keeping the registry entry of the number itself', () => {
      const ssh = catalog.lookupService('ssh', 2222, 'tcp');
      assert.equal(ssh?.curated?.title, 'SSH');
      assert.equal(ssh?.risk, 'sensitive');
      assert.equal(ssh?.service, 'ssh');
      assert.equal(ssh?.iana[0].name, 'EtherNet/IP-1');
      // Notes about the service's own port do not carry over to another.
      assert.deepEqual(ssh?.curated?.uses, []);
      const api = catalog.describe({ port: 11363, protocol: 'tcp', service: 'ndm-requester' });
      assert.equal(api.risk, 'critical');
      assert.equal(api.curated?.secureAlternative?.kind, 'restrict');
      assert.equal(
        catalog.describe({ port: 1363, protocol: 'tcp', service: 'ndm-requester' }),
        catalog.lookup(1363, 'tcp'),
      );
      assert.equal(catalog.lookupService('no-such-service', 2222, 'tcp'), undefined);
    });

    it('gives the TLS partner where one exists, and restriction where TLS shares the port', () => {
      const partners: [number, number][] = [
        [446, 448],
        [447, 448],
        [8471, 9471],
        [23, 22],
        [21, 22],
        [2375, 2376],
        [389, 636],
        [5985, 5986],
        [1521, 2484],
        [110, 995],
        [143, 993],
      ];
      for (const [port, partner] of partners) {
        const alternative = catalog.lookup(port, 'tcp').curated?.secureAlternative;
        assert.deepEqual(
          alternative && alternative.kind === 'tls-port' ? alternative.port : undefined,
          partner,
          `${port}`,
        );
      }
      assert.equal(catalog.lookup(1363, 'tcp').curated?.secureAlternative?.kind, 'restrict');
      assert.equal(catalog.lookup(6379, 'tcp').curated?.secureAlternative?.kind, 'restrict');
    });

    it('cites a source with a link for every entry', () => {
      const file = curated as CuratedCatalogFile;
      for (const entry of file.entries) {
        assert.ok(entry.sources.length > 0, entry.ports);
        for (const key of entry.sources)
          assert.match(file.sources[key]?.url ?? '', /^https:\/\//, `${entry.ports} cites ${key}`);
      }
    });
  });

  describe('custom ports', () => {
    it('win over IANA and the curated notes', () => {
      const own = catalog.withCustomPorts({
        '9443/tcp': { name: 'payroll-api', note: 'In-house payroll API', risk: 'critical' },
        '1363': { note: 'CD API, admin VLAN only' },
      });
      const payroll = own.lookup(9443, 'tcp');
      assert.equal(payroll.service, 'payroll-api');
      assert.equal(payroll.risk, 'critical');
      assert.equal(own.lookup(9443, 'udp').custom, undefined, 'a note for tcp does not apply to udp');
      assert.equal(own.lookup(1363, 'tcp').custom?.note, 'CD API, admin VLAN only');
      assert.equal(own.lookup(1363, 'tcp').risk, 'critical', 'a note without a risk keeps the catalog risk');
      assert.equal(catalog.lookup(9443, 'tcp').custom, undefined, 'the base catalog is unchanged');
    });

    it('parse port keys and reject malformed ones', () => {
      assert.deepEqual(parsePortKey('9000-9010/udp'), { first: 9000, last: 9010, protocol: 'udp' });
      assert.deepEqual(parsePortKey('22'), { first: 22, last: 22, protocol: 'any' });
      assert.equal(parsePortKey('70000'), undefined);
      assert.equal(parsePortKey('10-5'), undefined);
      assert.equal(parsePortKey('ssh'), undefined);
    });
  });

  describe('ranges', () => {
    it('summarise first and last service, assigned count and the riskiest port', () => {
      const summary = catalog.summarizeRange(8470, 8476, 'tcp');
      assert.equal(summary.first.port, 8470);
      assert.equal(summary.last.port, 8476);
      assert.equal(summary.risk, 'critical');
      assert.ok(summary.riskiest && summary.riskiest.port >= 8470 && summary.riskiest.port <= 8476);
      assert.equal(catalog.summarizeRange(1360, 1370, 'tcp').riskiest?.port, 1363);
    });
  });
});
