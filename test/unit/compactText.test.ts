import * as assert from 'node:assert/strict';
import { relocateMention } from '../../server/src/scan/compactText';
import type { PortMention, Span } from '../../server/src/scan/mention';

describe('moving a mention', () => {
  // Required: a field added to PortMention must be added here, and then relocateMention must carry it.
  const complete: Required<PortMention> = {
    span: { start: 120, end: 124 },
    port: 1363,
    endPort: null,
    protocol: 'tcp',
    role: 'allow',
    exposure: 'any',
    language: 'shellscript',
    context: { tool: 'iptables', direction: 'inbound', chain: 'INPUT', policy: 'DROP' },
    writtenName: 'ndm-requester',
    reference: 'ndm-requester → 1363/tcp (firewalld service ndm-requester; services/ndm-requester.xml)',
    service: 'ndm-requester',
    variable: { name: 'CD_PORT', definition: { start: 8, end: 20 } },
    related: [{ span: { start: 30, end: 48 }, message: 'chain INPUT policy DROP' }],
    shadowedBy: { span: { start: 50, end: 70 }, message: 'drops these packets first' },
    uses: [
      {
        span: { start: 200, end: 204 },
        role: 'allow',
        exposure: 'any',
        context: { tool: 'iptables' },
        shadowedBy: { span: { start: 180, end: 190 }, message: 'drops these packets first' },
        via: 'open_port',
      },
    ],
  };
  const byTen = (span: Span): Span => ({ start: span.start + 10, end: span.end + 10 });

  it('moves every span and keeps every other field', () => {
    assert.deepEqual(relocateMention(complete, byTen), {
      ...complete,
      span: { start: 130, end: 134 },
      variable: { name: 'CD_PORT', definition: { start: 18, end: 30 } },
      related: [{ span: { start: 40, end: 58 }, message: 'chain INPUT policy DROP' }],
      shadowedBy: { span: { start: 60, end: 80 }, message: 'drops these packets first' },
      uses: [
        {
          ...complete.uses[0],
          span: { start: 210, end: 214 },
          shadowedBy: { span: { start: 190, end: 200 }, message: 'drops these packets first' },
        },
      ],
    });
  });

  it('adds no field the mention does not have', () => {
    const {
      writtenName: _name,
      reference: _reference,
      service: _service,
      variable: _variable,
      related: _related,
      shadowedBy: _shadowedBy,
      uses: _uses,
      ...bare
    } = complete;
    const moved = relocateMention(bare, byTen);
    assert.deepEqual(Object.keys(moved).sort(), Object.keys(bare).sort());
  });
});
