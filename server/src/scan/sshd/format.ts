import type { FormatDefinition } from '../format';
import { SSHD_CONFIG, sshdConfigScanner } from './sshdConfigScanner';

/** sshd_config and its drop-ins: met only inside scripts that write them, never reported as files of their own. */
export const sshdConfigFormat: FormatDefinition = {
  languageId: SSHD_CONFIG,
  standalone: false,
  fileNames: [/(^|\/)sshd_config$/, /(^|\/)sshd_config\.d\/[^/]+\.conf$/],
  comment: { line: '#' },
  scanner: sshdConfigScanner,
};
