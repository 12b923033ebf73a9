import { MentionCollector } from './collector';
import type { FormatScanner } from './format';

/** A scanner that reads a whole text into one collector of the format's language. */
export function collectingScanner(
  languageId: string,
  read: (text: string, out: MentionCollector) => void,
): FormatScanner {
  return {
    scan(text, context) {
      const out = new MentionCollector(languageId, context.resolveServiceName);
      read(text, out);
      return out.output;
    },
  };
}
