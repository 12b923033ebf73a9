import { MentionCollector } from '../collector';
import type { FormatScanner, ScanContext } from '../format';
import { namesAPort } from '../variableNames';
import { keyValueLines } from './lines';

export const ENV_FILE = 'dotenv';

/**
 * `.env` files a script writes (`SMTP_PORT=25`): a variable named for a port defines one, as in a script; it
 * opens nothing by itself.
 */
export const envFileScanner: FormatScanner = {
  scan(text: string, context: ScanContext) {
    const out = new MentionCollector(ENV_FILE, context.resolveServiceName);
    for (const { key, value } of keyValueLines(text, /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/)) {
      if (namesAPort(key)) out.addDefinedPorts(value, key, { tool: '.env', note: `assigned to ${key}` });
    }
    return out.output;
  },
};
