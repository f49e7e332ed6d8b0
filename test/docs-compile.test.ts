/**
 * Every TypeScript block of README.md, docs/*.md and docs/constructs/*.md compiles on its own, as a file of a fresh app
 * that depends on cdk8s-llm-d (mapped to the sources here): one program, zero diagnostics. A
 * block that is deliberately a fragment starts with `// fragment` and is skipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { documentationFiles } from './support';

const ROOT = path.join(__dirname, '..');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-doc-blocks-'));
const DOCS = documentationFiles();

interface Block {
  readonly doc: string;
  readonly line: number;
  readonly file: string;
}

function blocks(): Block[] {
  const out: Block[] = [];
  for (const doc of DOCS) {
    const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end].startsWith('```')) end++;
      const code = lines.slice(start, end).join('\n');
      i = end;
      if (code.trimStart().startsWith('// fragment')) continue;
      const file = path.join(TMP, `${doc.replace(/[/.]/g, '_')}_${start}.ts`);
      // Each block is its own module, as a file of an app would be.
      fs.writeFileSync(file, `${code}\nexport {};\n`);
      out.push({ doc, line: start, file });
    }
  }
  return out;
}

test('every TypeScript block of the README and docs compiles in a fresh app', () => {
  const all = blocks();
  expect(all.length).toBeGreaterThanOrEqual(27);
  expect(all.filter((b) => b.doc.startsWith(path.join('docs', 'constructs'))).length).toBeGreaterThanOrEqual(14);
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, ROOT);
  const program = ts.createProgram(all.map((b) => b.file), {
    ...config.options,
    noEmit: true,
    declaration: false,
    rootDir: undefined,
    outDir: undefined,
    noUnusedLocals: false,
    types: ['node', 'jest'], // a block may be a jest test of the user's app
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT,
    paths: { 'cdk8s-llm-d': ['src/index.ts'], 'cdk8s-llm-d/helm': ['src/helm/index.ts'], 'cdk8s-llm-d/testing': ['src/testing/index.ts'], '*': ['node_modules/*'] },
  });
  const where = new Map(all.map((b) => [b.file, `${b.doc}:${b.line}`]));
  const problems = all.flatMap((b) => ts.getPreEmitDiagnostics(program, program.getSourceFile(b.file)).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
    return `${where.get(d.file?.fileName ?? '') ?? d.file?.fileName} (+${pos}): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  }));
  expect(problems).toEqual([]);
});

test('the docs synthesize the cdk8s way, with app.synth() (which writes what synthApp writes)', () => {
  const calls = blocks().filter((b) => /\bsynthApp\(/.test(fs.readFileSync(b.file, 'utf8'))).map((b) => `${b.doc}:${b.line}`);
  expect(calls).toEqual([]);
});
