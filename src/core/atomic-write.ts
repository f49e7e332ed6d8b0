/**
 * Writes a set of files into an output folder all at once or not at all: every file is written
 * first into a staging folder next to the output folder (same file system), and only when all of
 * them are written are they moved into place, each by a rename. A failure while writing (a name
 * the file system refuses, a full disk) leaves the output folder untouched; a failure while moving
 * puts back every file already moved and removes the folders made for them. `synthApp` and the
 * CLI's `render -o` write through it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Where a file name would lead outside the output folder, or is not a relative path. */
function unsafeName(name: string): boolean {
  if (name === '' || path.isAbsolute(name) || name.includes('\0')) return true;
  return path.normalize(name).split(path.sep).includes('..');
}

/** Removes `dir` and what it holds, never failing (cleanup after an error). */
function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    /* nothing more to do */
  }
}

/** Makes `dir` and its missing parents; returns the folders it made, outermost first. */
function makeDirs(dir: string): string[] {
  const made: string[] = [];
  let cur = dir;
  while (!fs.existsSync(cur)) {
    made.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of made) fs.mkdirSync(d);
  return made;
}

/**
 * `files` with each file once, names compared normalized (`a.yaml`, `./a.yaml` and `x//../a.yaml`
 * are one file): the same content twice is written once; two different contents for one file
 * are refused, since one would silently replace the other.
 */
function sameFilesOnce(files: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  const byPath = new Map<string, readonly [string, string]>();
  for (const file of files) {
    const key = path.normalize(file[0]).replace(/[\\/]+$/, '');
    const earlier = byPath.get(key);
    if (earlier === undefined) byPath.set(key, file);
    else if (earlier[1] !== file[1]) throw new Error(`cannot write "${file[0]}": "${earlier[0]}" is the same file, with other content`);
  }
  return [...byPath.values()];
}

/**
 * Writes `files` (`[path relative to outdir, content]`) into `outdir`, creating it: either all of
 * them are written and moved into place, or, on any failure, `outdir` (and its parents) are as
 * they were and the error is thrown. Other files already in `outdir` are kept.
 */
export function writeFilesAtomically(outdir: string, files: ReadonlyArray<readonly [string, string]>): void {
  const target = path.resolve(outdir);
  for (const [name] of files) {
    if (unsafeName(name)) throw new Error(`cannot write "${name}": not a relative path inside the output folder`);
  }
  files = sameFilesOnce(files);
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) throw new Error(`${outdir}: exists and is not a folder`);
  const parent = path.dirname(target);
  const madeParents = makeDirs(parent);
  let stage: string;
  try {
    stage = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
  } catch (e) {
    for (const d of [...madeParents].reverse()) removeQuietly(d);
    throw e;
  }
  const staged = path.join(stage, 'new');
  const backups = path.join(stage, 'old');
  const undo = (): void => {
    removeQuietly(stage);
    for (const d of [...madeParents].reverse()) removeQuietly(d);
  };
  // 1. Every file into the staging folder: nothing in outdir changes yet.
  try {
    fs.mkdirSync(staged);
    for (const [name, content] of files) {
      const file = path.join(staged, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  } catch (e) {
    undo();
    throw e;
  }
  // 2a. A new output folder: one rename.
  if (!fs.existsSync(target)) {
    try {
      fs.renameSync(staged, target);
    } catch (e) {
      undo();
      throw e;
    }
    removeQuietly(stage);
    return;
  }
  // 2b. An existing output folder: move each file in, keeping the file it replaces until all are in.
  const moved: Array<{ file: string; backup?: string; placed: boolean; madeDirs: string[] }> = [];
  try {
    for (const [name] of files) {
      const file = path.join(target, name);
      const madeDirs = makeDirs(path.dirname(file));
      const entry: { file: string; backup?: string; placed: boolean; madeDirs: string[] } = { file, placed: false, madeDirs };
      moved.push(entry);
      if (fs.existsSync(file)) {
        if (fs.lstatSync(file).isDirectory()) throw Object.assign(new Error(`${file}: is a folder, cannot be replaced by a file`), { code: 'EISDIR' });
        const backup = path.join(backups, name);
        fs.mkdirSync(path.dirname(backup), { recursive: true });
        fs.renameSync(file, backup);
        entry.backup = backup;
      }
      fs.renameSync(path.join(staged, name), file);
      entry.placed = true;
    }
  } catch (e) {
    for (const m of [...moved].reverse()) {
      try {
        if (m.placed) fs.rmSync(m.file, { force: true });
        if (m.backup) fs.renameSync(m.backup, m.file);
      } catch {
        /* best effort: keep undoing the others */
      }
      for (const d of [...m.madeDirs].reverse()) removeQuietly(d);
    }
    undo();
    throw e;
  }
  removeQuietly(stage);
}
