// Checks that every commit since the project adopted Conventional Commits has a subject a changelog tool and a
// reviewer can read: `type(scope)!: summary`, at most 72 characters, imperative (no trailing period). CI runs it
// with the lint; older history is left as it was written.
import { execFileSync } from 'node:child_process';

/** The last commit before the convention was adopted: everything after it is checked. */
const ADOPTED_AFTER = 'd70047d3483a7889868941f937755c0de6b98102';
const TYPES = ['feat', 'fix', 'docs', 'refactor', 'test', 'perf', 'build', 'ci', 'chore', 'style', 'revert'];
const SUBJECT = new RegExp(`^(${TYPES.join('|')})(\\([a-z0-9-]+\\))?!?: \\S`);

/** A shallow clone may not hold the starting point: then only the commits it holds are checked. */
function range() {
  try {
    execFileSync('git', ['cat-file', '-e', `${ADOPTED_AFTER}^{commit}`], { stdio: 'ignore' });
    return [`${ADOPTED_AFTER}..HEAD`];
  } catch {
    return ['HEAD'];
  }
}

const log = execFileSync('git', ['log', '--format=%h %s', ...range()], { encoding: 'utf8' });
const problems = [];
for (const line of log.split('\n').filter(Boolean)) {
  const [hash, ...words] = line.split(' ');
  const subject = words.join(' ');
  if (!SUBJECT.test(subject)) problems.push(`${hash} "${subject}": not \`type(scope): summary\` with a type of ${TYPES.join(', ')}`);
  if (subject.length > 72) problems.push(`${hash} "${subject}": ${subject.length} characters, more than 72`);
  if (subject.endsWith('.')) problems.push(`${hash} "${subject}": ends with a period`);
}
if (problems.length > 0) {
  console.error(`Commit subjects that do not follow Conventional Commits:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`commit subjects: ${log.split('\n').filter(Boolean).length} checked, all conventional`);
