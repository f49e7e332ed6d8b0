/**
 * `cdk8s-llm-d diff OLD NEW`: what a reviewer needs from two synth outputs (files or folders of
 * YAML): objects added and removed, and per changed object the fields that change, old -> new,
 * and the changes the API server refuses to apply in place (the system model's upgrade rules).
 * Lists of named items (containers, env, ports, volumes) are matched by name; other lists are
 * compared whole. Plain data comparison: no Kubernetes defaults are applied.
 */
import { inPlaceRefusals } from '../system/upgrades';
import { readManifests } from './manifest-files';

type Json = unknown;

/**
 * The objects of one side by identity (`apiVersion kind namespace/name`), read through the CLI's
 * one input layer (bounded size, nesting and aliases; regular files only; see manifest-files.ts).
 */
export function loadObjects(p: string, label = p): Map<string, Json> {
  const objects = new Map<string, Json>();
  for (const { manifest: o } of readManifests(p, label)) {
    const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as { name?: unknown; namespace?: unknown };
    objects.set(`${String(o.apiVersion ?? '')} ${String(o.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name ?? '')}`, o);
  }
  return objects;
}

const isMap = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (l: readonly Json[]): boolean => l.length > 0 && l.every((x) => isMap(x) && typeof x.name === 'string') && new Set(l.map((x) => (x as { name: string }).name)).size === l.length;
const render = (v: Json): string => (v === undefined ? '(none)' : JSON.stringify(v));

/** Values longer than this are shown around the span where they differ. */
const LONG = 120;
/** Characters kept on each side of that span. */
const CONTEXT = 40;

/** Length of the common prefix of two strings, and of the common suffix of the rest. */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

/**
 * `old -> new`, each whole; when one is long, each shown from a little before the first character
 * that differs to a little after the last, the common ends elided as `…`.
 */
function showChange(a: Json, b: Json): string {
  const [ra, rb] = [render(a), render(b)];
  if (a === undefined || b === undefined || (ra.length <= LONG && rb.length <= LONG)) return `${ra} -> ${rb}`;
  const { prefix, suffix } = commonEnds(ra, rb);
  const from = Math.max(0, prefix - CONTEXT);
  const clip = (t: string): string => {
    const to = Math.min(t.length, t.length - suffix + CONTEXT);
    return `${from > 0 ? '…' : ''}${t.slice(from, to)}${to < t.length ? '…' : ''}`;
  };
  return `${clip(ra)} -> ${clip(rb)}`;
}

/** Pairs of lines compared with a longest common subsequence up to this many (n * m). */
const MAX_LCS_CELLS = 4_000_000;

/** The lines removed from `a` and added in `b`, in order: `-<old line number>: text`, `+<new line number>: text`. */
function lineDiff(a: readonly string[], b: readonly string[]): string[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const [x, y] = [a.slice(start, endA), b.slice(start, endB)];
  const removed = (i: number): string => `-${start + i + 1}: ${x[i]}`;
  const added = (j: number): string => `+${start + j + 1}: ${y[j]}`;
  if (x.length * y.length > MAX_LCS_CELLS) return [...x.map((_, i) => removed(i)), ...y.map((_, j) => added(j))];
  // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..].
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [];
  let [i, j] = [0, 0];
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) [i, j] = [i + 1, j + 1];
    else if (j >= y.length || (i < x.length && lcs[i + 1][j] >= lcs[i][j + 1])) out.push(removed(i++));
    else out.push(added(j++));
  }
  return out;
}

/** A changed multi-line string: a count, then the changed lines. */
function textChange(at: string, a: string, b: string): string[] {
  const [la, lb] = [a.split('\n'), b.split('\n')];
  const lines = lineDiff(la, lb);
  const changed = Math.max(lines.filter((l) => l.startsWith('-')).length, lines.filter((l) => l.startsWith('+')).length);
  return [`${at}: text changed (${changed} of ${Math.max(la.length, lb.length)} lines)`, ...lines.map((l) => `  ${l}`)];
}

/** Changed leaves between two values: `path: old -> new` (a multi-line string: its changed lines, indented). */
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
  if (typeof a === 'string' && typeof b === 'string' && (a.includes('\n') || b.includes('\n'))) return textChange(at, a, b);
  return [`${at}: ${showChange(a, b)}`];
}

/** The changes of one object the API server refuses to apply in place, as `!` lines, and how many are certain. */
function refusalLines(a: Json, b: Json): { lines: string[]; refused: number } {
  const refusals = isMap(a) && isMap(b) ? inPlaceRefusals(a, b) : [];
  const lines = refusals.map((r) => `! ${r.field} ${r.severity === 'error' ? 'cannot' : 'may not'} change in place: ${r.why}; way through: ${r.wayThrough}`);
  return { lines, refused: refusals.filter((r) => r.severity === 'error').length };
}

/** The report and whether anything differs. */
export function diffOutputs(oldPath: string, newPath: string, labels: readonly [string, string] = [oldPath, newPath]): { text: string; differs: boolean } {
  const a = loadObjects(oldPath, labels[0]);
  const b = loadObjects(newPath, labels[1]);
  const lines: string[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let refused = 0;
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
      const refusals = refusalLines(a.get(k), b.get(k));
      refused += refusals.refused;
      lines.push(`~ ${k}`, ...fields.map((f) => `    ${f}`), ...refusals.lines.map((l) => `    ${l}`));
    }
  }
  const unchanged = [...a.keys()].filter((k) => b.has(k)).length - changed;
  const refusedText = refused === 0 ? '' : `, ${refused} ${refused === 1 ? 'change' : 'changes'} the API server refuses in place`;
  lines.push(`${added} added, ${removed} removed, ${changed} changed, ${unchanged} unchanged${refusedText}`);
  return { text: `${lines.join('\n')}\n`, differs: added + removed + changed > 0 };
}
