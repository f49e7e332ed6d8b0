// Jest global set-up: `npm run build` (incremental tsc into lib/, then the CLI shim), once per run,
// for the suites that test what is published: the packed tarball (test/packaging) and the API
// report (test/api-report). A run that selects neither skips it. One build for both, instead of
// `npm pack` building and the API report emitting declarations of its own.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const NEEDS_LIB = /packaging|api-report/;

module.exports = async function globalSetup(globalConfig) {
  const selected = [globalConfig.testPathPattern, ...(globalConfig.nonFlagArgs ?? [])].filter((p) => p);
  if (selected.length > 0 && !selected.some((p) => NEEDS_LIB.test(p))) return;
  const root = path.join(__dirname, '..');
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed before the tests:\n${r.stdout}${r.stderr}`);
  const shim = spawnSync(process.execPath, [path.join(root, 'scripts', 'write-cli-shim.js'), 'lib'], { cwd: root, encoding: 'utf8' });
  if (shim.status !== 0) throw new Error(`the CLI shim was not written:\n${shim.stdout}${shim.stderr}`);
};
