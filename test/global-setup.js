// Jest global set-up: lib/ as `npm run build` makes it (tsc into lib/, then the CLI shim), for
// the suites that test what is published or run it in a fresh process: the packed tarball
// (test/packaging), the API report (test/api-report) and an uncaught refusal (test/core/plain-synth).
// `npm test` has just emitted lib/ with its type check, so this build is skipped then; a run that
// selects none of those suites skips it too.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const NEEDS_LIB = /packaging|api-report|plain-synth/;
const root = path.join(__dirname, '..');

/** Newest modification time of the .ts files under the folders lib/ is built from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of ['src', 'imports', 'examples', 'bench']) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

function built() {
  try {
    return fs.statSync(path.join(root, 'lib', 'src', 'index.d.ts')).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

module.exports = async function globalSetup(globalConfig) {
  const selected = [globalConfig.testPathPattern, ...(globalConfig.nonFlagArgs ?? [])].filter((p) => p);
  if (selected.length > 0 && !selected.some((p) => NEEDS_LIB.test(p))) return;
  if (!built()) {
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed before the tests:\n${r.stdout}${r.stderr}`);
  }
  const shim = spawnSync(process.execPath, [path.join(root, 'scripts', 'write-cli-shim.js'), 'lib'], { cwd: root, encoding: 'utf8' });
  if (shim.status !== 0) throw new Error(`the CLI shim was not written:\n${shim.stdout}${shim.stderr}`);
};
