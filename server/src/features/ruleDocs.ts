import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_DOCS_REPOSITORY_URL } from '../rules/catalog';

/**
 * Where a rule's page is: the copy shipped beside the server (the .vsix carries docs/rules, so the link works
 * offline), else the repository.
 */
export function ruleDocsLinker(serverDirectory: string): (ruleId: string) => string {
  const local = join(serverDirectory, '..', '..', 'docs', 'rules');
  if (existsSync(local)) return (ruleId) => pathToFileURL(join(local, `${ruleId}.md`)).href;
  return (ruleId) => `${RULE_DOCS_REPOSITORY_URL}/${ruleId}.md`;
}
