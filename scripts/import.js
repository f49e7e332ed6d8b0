#!/usr/bin/env node
// Regenerates imports/ from the CRD files listed in cdk8s.yaml, using the project's own cdk8s-cli.
// Usage: node scripts/import.js [outDir]   (default: imports)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(root, process.argv[2] || 'imports');
const config = YAML.parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));
const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
// One cdk8s-cli process for every CRD: with no spec argument it imports the cdk8s.yaml list, which
// names each CRD by its path relative to the repository root (cwd), so any checkout works.
if (!Array.isArray(config.imports) || config.imports.some((i) => path.isAbsolute(String(i)))) {
  throw new Error('cdk8s.yaml: imports must be a list of paths relative to the repository root');
}
execFileSync(process.execPath, [cli, 'import', '--no-save', '--language', 'typescript', '--output', outDir], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
});
console.log(`imports written to ${path.relative(root, outDir) || '.'}: ${fs.readdirSync(outDir).sort().join(', ')}`);
