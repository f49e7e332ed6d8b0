/** The limits docs/security.md states are the ones the CLI enforces. */
import * as fs from 'fs';
import * as path from 'path';
import { VALUES_LIMITS } from '../../src/cli/values';
import { PLAIN_PROPS_LIMITS } from '../../src/core/plain-props';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Threat model'), doc.indexOf('## Valid output'));

test('the threat model states the values limits of the code', () => {
  expect(section).toContain(`| one values file or \`--set-file\` file | ${VALUES_LIMITS.maxFileBytes / 1024 / 1024} MiB`);
  expect(section).toContain(`| nesting of maps and lists | ${VALUES_LIMITS.maxDepth} levels`);
  expect(section).toContain(`| keys and list items in one document | ${VALUES_LIMITS.maxNodes.toLocaleString('en-US')} |`);
});

test('the threat model states the props limits of the code', () => {
  expect(section).toContain(`nesting over ${PLAIN_PROPS_LIMITS.maxDepth} levels and over ${PLAIN_PROPS_LIMITS.maxEntries.toLocaleString('en-US')} entries`);
});
