/**
 * Writes are atomic: on any failure in `synthApp` or `render -o` the output folder is as it was
 * before (files are written into a staging folder next to it, then moved in).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { writeFilesAtomically } from '../../src/core/atomic-write';
import { synthApp } from '../../src/synth/validate';
import { ModelPvcDownloader } from '../../src';
import { cli } from '../cli/support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-atomic-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir` with its content (the folder's state). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** What is next to `dir` (no staging folder may be left). */
const siblings = (dir: string): string[] => fs.readdirSync(path.dirname(dir)).sort();
const staging = (dir: string): string[] => siblings(dir).filter((n) => n.includes('staging'));

class ExtraFiles extends Construct {
  constructor(scope: Construct, id: string, private readonly files: Record<string, string>) {
    super(scope, id);
  }
  public synthFiles(): Record<string, string> {
    return this.files;
  }
}

function app(outdir: string, extra: Record<string, string>): App {
  const a = new App({ outdir });
  const chart = new Chart(a, 'llm-d', { namespace: 'llm-d' });
  new ModelPvcDownloader(chart, 'model', { repoId: 'furiosa-ai/Llama-3.1-8B-Instruct' });
  new ExtraFiles(chart, 'extra', extra);
  return a;
}

describe('synthApp', () => {
  test('a file name the file system refuses (too long) leaves an existing output folder as it was, and no staging folder', () => {
    const outdir = path.join(tmp, 'existing');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'llm-d.k8s.yaml'), 'old manifests\n');
    fs.writeFileSync(path.join(outdir, 'keep.txt'), 'unrelated\n');
    const before = snapshot(outdir);
    const around = siblings(outdir);
    expect(() => synthApp(app(outdir, { 'notes.md': 'x', [`${'n'.repeat(300)}.md`]: 'y' }))).toThrow(/ENAMETOOLONG/);
    expect(snapshot(outdir)).toEqual(before);
    expect(siblings(outdir)).toEqual(around);
  });

  test('a failure half-way (a later write fails after the manifests are written) creates no output folder, nor its parents', () => {
    const outdir = path.join(tmp, 'fresh', 'dist');
    // `a.md` is written, then `a.md/b.md` needs a folder where the file is.
    expect(() => synthApp(app(outdir, { 'a.md': 'a', 'a.md/b.md': 'b' }))).toThrow(/EEXIST|ENOTDIR/);
    expect(fs.existsSync(path.join(tmp, 'fresh'))).toBe(false);
    expect(staging(path.join(tmp, 'x'))).toEqual([]);
  });

  test('a failure while moving files in puts back every file already moved', () => {
    const outdir = path.join(tmp, 'moving');
    fs.mkdirSync(path.join(outdir, 'z.md'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'a.md'), 'old a\n');
    fs.writeFileSync(path.join(outdir, 'z.md', 'inside'), 'a folder where a file goes\n');
    const before = snapshot(outdir);
    const around = siblings(outdir);
    expect(() => synthApp(app(outdir, { 'a.md': 'new a', 'sub/b.md': 'b', 'z.md': 'z' }))).toThrow();
    expect(snapshot(outdir)).toEqual(before);
    expect(fs.existsSync(path.join(outdir, 'sub'))).toBe(false);
    expect(siblings(outdir)).toEqual(around);
    expect(staging(outdir)).toEqual([]);
  });

  test('on success every file is there, old files replaced and others kept', () => {
    const outdir = path.join(tmp, 'ok');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'a.md'), 'old\n');
    fs.writeFileSync(path.join(outdir, 'keep.txt'), 'kept\n');
    const summary = synthApp(app(outdir, { 'a.md': 'new\n', 'sub/b.md': 'b\n' }));
    const after = snapshot(outdir);
    expect(after['a.md']).toBe('new\n');
    expect(after['keep.txt']).toBe('kept\n');
    expect(after[path.join('sub', 'b.md')]).toBe('b\n');
    for (const f of summary.files) expect(after[f]).toBeDefined();
    expect(staging(outdir)).toEqual([]);
  });

  test('a file name leading outside the output folder is refused before anything is written', () => {
    expect(() => writeFilesAtomically(path.join(tmp, 'never'), [['../escape.md', 'x']])).toThrow(/not a relative path inside the output folder/);
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'escape.md'))).toBe(false);
  });
});

describe('render -o', () => {
  test('a write that fails leaves the folder as it was (exit 2, no staging folder left)', () => {
    const dir = path.join(tmp, 'render-out');
    // The file render writes is a folder here: the move fails, the folder stays as it was.
    fs.mkdirSync(path.join(dir, 'r.k8s.yaml'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'r.k8s.yaml', 'x'), 'x');
    const before = snapshot(dir);
    const r = cli(['render', 'inferencepool', '--release', 'r', '--set', 'inferencePool.modelServers.matchLabels.app=x', '-o', dir], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write');
    expect(snapshot(dir)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('staging'))).toEqual([]);
  });
});
