/**
 * `cdk8s-llm-d diff OLD NEW`: what a reviewer needs from two synth outputs (files or folders of
 * YAML): objects added and removed, and per changed object the fields that change, old -> new.
 * Lists of named items (containers, env, ports, volumes) are matched by name; other lists are
 * compared whole. Plain data comparison: no Kubernetes defaults are applied.
 */
import * as fs from 'fs';
import * as path from 'path';
import { YAML } from '../core/yaml';
import { UsageError } from './args';

type Json = unknown;

/** Most bytes of YAML read from one side (a synth output, not a values file). */
const MAX_BYTES = 64 * 1024 * 1024;

function yamlFiles(p: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new UsageError(`${p}: no such file or folder`);
  }
  if (st.isFile()) return [p];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(e.name)) out.push(full);
    }
  };
  walk(p);
  return out;
}

/** The objects of one side by identity (`apiVersion kind namespace/name`). */
export function loadObjects(p: string): Map<string, Json> {
  const objects = new Map<string, Json>();
  let bytes = 0;
  for (const file of yamlFiles(p)) {
    bytes += fs.statSync(file).size;
    if (bytes > MAX_BYTES) throw new UsageError(`${p}: more than ${MAX_BYTES / 1024 / 1024} MiB of YAML`);
    const parsed = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
    const error = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((d) => d.errors)[0];
    if (error) throw new UsageError(`${file}: not YAML (${error.message.split('\n')[0]})`);
    const docs = (Array.isArray(parsed) ? parsed : []).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
    for (const d of docs) {
      if (typeof d !== 'object' || d === null || Array.isArray(d)) continue;
      const o = d as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
      if (!o.kind) continue;
      objects.set(`${o.apiVersion ?? ''} ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`, d);
    }
  }
  return objects;
}

const isMap = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (l: readonly Json[]): boolean => l.length > 0 && l.every((x) => isMap(x) && typeof x.name === 'string') && new Set(l.map((x) => (x as { name: string }).name)).size === l.length;
const show = (v: Json): string => (v === undefined ? '(none)' : JSON.stringify(v).length > 120 ? `${JSON.stringify(v).slice(0, 117)}...` : JSON.stringify(v));

/** Changed leaves between two values: `path: old -> new`. */
export function fieldChanges(a: Json, b: Json, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => fieldChanges(a[k], b[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && named(a) && named(b)) {
    const byName = (l: Json[]) => new Map(l.map((x) => [(x as { name: string }).name, x]));
    const ma = byName(a);
    const mb = byName(b);
    const names = [...new Set([...ma.keys(), ...mb.keys()])];
    return names.flatMap((n) => fieldChanges(ma.get(n), mb.get(n), `${at}[${n}]`));
  }
  if (typeof a === 'string' && typeof b === 'string' && (a.includes('\n') || b.includes('\n'))) {
    const la = a.split('\n');
    const lb = b.split('\n');
    const changed = Math.max(la.length, lb.length) - la.filter((l, i) => lb[i] === l).length;
    return [`${at}: text changed (${changed} of ${Math.max(la.length, lb.length)} lines)`];
  }
  return [`${at}: ${show(a)} -> ${show(b)}`];
}

/** The report and whether anything differs. */
export function diffOutputs(oldPath: string, newPath: string): { text: string; differs: boolean } {
  const a = loadObjects(oldPath);
  const b = loadObjects(newPath);
  const lines: string[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!a.has(k)) {
      lines.push(`+ ${k}`);
      added++;
    } else if (!b.has(k)) {
      lines.push(`- ${k}`);
      removed++;
    } else {
      const fields = fieldChanges(a.get(k), b.get(k));
      if (fields.length === 0) continue;
      changed++;
      lines.push(`~ ${k}`, ...fields.map((f) => `    ${f}`));
    }
  }
  const unchanged = [...a.keys()].filter((k) => b.has(k)).length - changed;
  lines.push(`${added} added, ${removed} removed, ${changed} changed, ${unchanged} unchanged`);
  return { text: `${lines.join('\n')}\n`, differs: added + removed + changed > 0 };
}
