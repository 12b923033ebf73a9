import type { MentionCollector } from '../collector';
import type { RiskSignal } from '../mention';
import { type PfAnalysis, type PfRuleAnalysis, sourceExposure } from './analysis';
import { PORT_PROTOCOLS, type PfRuleReading } from './rule';

/**
 * A pass rule that lets any source in to every port: no port, no interface named (passing all on one interface
 * trusts that network, as a LAN or VPN rule does), and no protocol named but those that have ports.
 */
function passesEveryPort(reading: PfRuleReading, analysis: PfAnalysis): boolean {
  return (
    reading.action === 'pass' &&
    !reading.redirects &&
    reading.direction !== 'out' &&
    (!reading.iface || reading.iface.negated) &&
    reading.uses.length === 0 &&
    reading.protocolsNamed.every((protocol) => PORT_PROTOCOLS.has(protocol)) &&
    sourceExposure(reading, analysis.definitions) === 'any'
  );
}

/** A block rule that may stop what a pass rule before it let in: without `quick`, pf's last matching rule decides. */
function blocksEveryPort(reading: PfRuleReading): boolean {
  return reading.action === 'block' && reading.direction !== 'out' && reading.uses.length === 0;
}

/** Reports each `pass in` that opens every port and that no later block rule may override, at its `pass`. */
export function addOpenPassSignals(analysis: PfAnalysis, out: MentionCollector): Map<PfRuleAnalysis, RiskSignal> {
  const signals = new Map<PfRuleAnalysis, RiskSignal>();
  let lastBlock = -1;
  analysis.rules.forEach((rule, index) => {
    if (blocksEveryPort(rule.reading)) lastBlock = index;
  });
  analysis.rules.forEach((rule, index) => {
    const { statement, reading } = rule;
    if (!passesEveryPort(reading, analysis) || (!reading.quick && index < lastBlock)) return;
    const pass = statement.tokens[0].token;
    // An interface named here is negated (`on ! lo`): every other one is open.
    const where = reading.iface ? ` on ! ${reading.iface.text}` : '';
    const signal = out.addSignal(
      pass,
      0,
      pass.text.length,
      'all-ports-open',
      `this pass rule lets any source in to every port${where}`,
    );
    signals.set(rule, signal);
  });
  return signals;
}
