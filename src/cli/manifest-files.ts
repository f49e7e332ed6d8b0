/**
 * Reads synth output (a YAML file, or a folder of them) for the commands that compare or check
 * manifests (`diff`, `check`): each document with a `kind`, with the file it came from, through
 * the CLI's one input layer (./read-input.ts). Bounded: at most {@link MAX_MANIFEST_BYTES} in
 * all, regular files only (a symlink inside a folder is not followed; a path given on the command
 * line is, to a file or folder only), nesting and entries bounded, aliases expanded at most 100
 * times.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SystemManifest } from '../system/finding';
import { UsageError } from './args';
import { MANIFEST_YAML_LIMITS, parseYamlDocuments } from '../core/yaml-read';
import { readBoundedText } from './read-input';

/** Most bytes of YAML read from one path. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

function yamlFiles(p: string, label: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${label}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or folder' : code === 'ELOOP' ? 'a symlink loop' : `cannot read (${code ?? 'unknown error'})`}`);
  }
  // Anything but a folder is read as a file by the input layer, with its bounds and checks (a
  // device within the byte bound, a FIFO or socket refused).
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new UsageError(`${label}: cannot read the folder ${path.relative(p, dir) || '.'} (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
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
  const fail = (why: string): UsageError => new UsageError(`${label}: ${why}`);
  return parseYamlDocuments(readBoundedText(file, budget, fail), MANIFEST_YAML_LIMITS, fail);
}

/** Every object of a synth output (file or folder), with its file (as given on the command line) as source. */
export function readManifests(p: string, label = p): SystemManifest[] {
  const out: SystemManifest[] = [];
  let budget = MAX_MANIFEST_BYTES;
  for (const file of yamlFiles(p, label)) {
    const shown = file === p ? label : path.join(label, path.relative(p, file));
    if (budget <= 0) throw new UsageError(`${label}: more than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB of YAML`);
    const text = readBoundedText(file, budget, (why) => new UsageError(`${shown}: ${why}${why.startsWith('larger than') ? ` (${MAX_MANIFEST_BYTES / 1024 / 1024} MiB of YAML are read from ${label} in all)` : ''}`));
    budget -= Buffer.byteLength(text);
    const fail = (why: string): UsageError => new UsageError(`${shown}: ${why}`);
    for (const d of parseYamlDocuments(text, MANIFEST_YAML_LIMITS, fail)) {
      if (typeof d === 'object' && d !== null && !Array.isArray(d) && typeof (d as { kind?: unknown }).kind === 'string') out.push({ manifest: d as Record<string, unknown>, source: shown });
    }
  }
  return out;
}
