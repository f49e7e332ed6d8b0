/**
 * Reads synth output (a YAML file, or a folder of them) for the commands that compare or check
 * manifests: each document with a `kind`, with the file it came from. Bounded: at most
 * {@link MAX_MANIFEST_BYTES} in all, regular files only, aliases expanded at most 100 times.
 */
import * as fs from 'fs';
import * as path from 'path';
import { YAML } from '../core/yaml';
import type { SystemManifest } from '../system/finding';
import { UsageError } from './args';
import { readBoundedText } from './read-input';

/** Most bytes of YAML read from one path. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

function yamlFiles(p: string, label: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new UsageError(`${label}: no such file or folder`);
  }
  if (st.isFile()) return [p];
  if (!st.isDirectory()) throw new UsageError(`${label}: not a file or folder`);
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(full);
    }
  };
  walk(p);
  return out;
}

/** The YAML documents of one file, as plain data. */
export function readYamlDocuments(file: string, label: string, budget = MAX_MANIFEST_BYTES): unknown[] {
  const text = readBoundedText(file, budget, (why) => new UsageError(`${label}: ${why}`));
  const parsed = YAML.parseAllDocuments(text);
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) throw new UsageError(`${label}: not YAML (${error.message.split('\n')[0]})`);
  try {
    return docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch (e) {
    throw new UsageError(`${label}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Every object of a synth output (file or folder), with its file (as given on the command line) as source. */
export function readManifests(p: string, label = p): SystemManifest[] {
  const out: SystemManifest[] = [];
  let budget = MAX_MANIFEST_BYTES;
  for (const file of yamlFiles(p, label)) {
    const shown = file === p ? label : path.join(label, path.relative(p, file));
    for (const d of readYamlDocuments(file, shown, budget)) {
      if (typeof d === 'object' && d !== null && !Array.isArray(d) && typeof (d as { kind?: unknown }).kind === 'string') out.push({ manifest: d as Record<string, unknown>, source: shown });
    }
    budget -= fs.statSync(file).size;
    if (budget < 0) throw new UsageError(`${label}: more than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB of YAML`);
  }
  return out;
}
