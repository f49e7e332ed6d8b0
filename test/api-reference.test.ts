/** docs/api.md is generated from the JSDoc of the main entry point and must be in step with it. */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, constructPageName } = require('../scripts/api-reference.js') as { generate: () => string; constructPageName: (name: string) => string };
const text = generate();

test('docs/api.md is what scripts/api-reference.js generates (run it after changing the public API or its JSDoc)', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8')).toBe(text);
});

test('every construct of the main entry point is documented', () => {
  for (const name of ['LlmdServingStack', 'RngdServingStack', 'FuriosaModelService', 'ModelService', 'InferenceSchedulerPool', 'IstioGieGateway', 'InferenceRoute', 'ModelPvcDownloader', 'ModelServerAutoscaler']) {
    expect(text).toMatch(new RegExp(`### \`${name}\`\\n\\n(?!\\(no description\\))`));
  }
  expect(text).toContain('### `LlmdServingStackProps`');
});

test('every public member of a construct or builder class is listed with its JSDoc', () => {
  const classes = text.slice(text.indexOf('## Constructs'), text.indexOf('## Functions'));
  const undocumented = [...classes.matchAll(/^\| `([^`]+)` \| {2}\|$/gm)].map((m) => m[1]);
  expect(undocumented).toEqual([]);
  expect(classes).toContain('| `addModelServer(ms): InferenceSchedulerPool` |');
  expect(classes).toContain('| `static fromGatewayName(scope, id, gatewayName, options?): IIstioGateway` |');
});

test('every optional field of a props or options type states its default', () => {
  const props = text.slice(text.indexOf('## Props and options'), text.indexOf('## Other types'));
  const rows = [...props.matchAll(/^### `(\w+)`|^\| `(\w+)\?` \|.*\| ([^|]*) \|$/gm)];
  let current = '';
  const missing: string[] = [];
  for (const m of rows) {
    if (m[1]) current = m[1];
    else if (m[3].trim() === '') missing.push(`${current}.${m[2]}`);
  }
  expect(rows.length).toBeGreaterThan(300);
  expect(missing).toEqual([]);
});

test('every field of a props or options type has a description', () => {
  const props = text.slice(text.indexOf('## Props and options'), text.indexOf('## Other types'));
  const undescribed = [...props.matchAll(/^\| `([^`]+)` \| `.*` \| {2}\| /gm)].map((m) => m[1]);
  expect(undescribed).toEqual([]);
});

test('each construct links its page in docs/constructs', () => {
  const constructs = text.slice(text.indexOf('## Constructs'), text.indexOf('## Classes and builders'));
  const names = [...constructs.matchAll(/^### `(\w+)`/gm)].map((m) => m[1]);
  const linked = [...constructs.matchAll(/^Guide: \[constructs\/([\w-]+\.md)\]/gm)].map((m) => m[1]);
  expect(linked).toEqual(names.map(constructPageName));
});
