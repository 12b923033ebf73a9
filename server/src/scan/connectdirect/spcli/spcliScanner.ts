import { MentionCollector } from '../../collector';
import type { FormatScanner, ScanContext } from '../../format';
import type { ScanOutput } from '../../mention';
import { PlainToken } from '../../token';
import { SPCLI_LANGUAGE } from '../languages';
import { isLiteralSecret, namesAPassword, weakProtocolName } from '../security';
import { valueToken } from '../setting';
import { readSpcliScript } from './spcliScript';

/**
 * Reads Secure+ spcli scripts (`update localnode protocol=(tls1.2) ...`, `import keycert passphrase=...`). They
 * name no ports; what matters is a protocol older than TLS 1.2 and a passphrase written into the script.
 */
export const spcliScanner: FormatScanner = {
  scan(text: string, context: ScanContext): ScanOutput {
    const out = new MentionCollector(SPCLI_LANGUAGE, context.resolveServiceName);
    for (const command of readSpcliScript(text)) {
      for (const setting of command.settings) {
        if (setting.key === 'protocol') {
          for (const item of setting.items) {
            const weak = weakProtocolName(item.text);
            if (!weak) continue;
            out.addSignal(
              new PlainToken(item.text, item.start),
              0,
              item.text.length,
              'weak-protocol',
              `${item.text} (${weak}) in ${command.name}`,
            );
          }
        } else if (namesAPassword(setting.key) && isLiteralSecret(setting.value)) {
          out.addSignal(
            valueToken(setting),
            0,
            setting.value.length,
            'password-in-text',
            `${setting.key} of ${command.name}`,
          );
        }
      }
    }
    return out.output;
  },
};
