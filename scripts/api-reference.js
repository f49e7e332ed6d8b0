#!/usr/bin/env node
// Generates docs/api.md, the API reference, from the JSDoc of what src/index.ts exports.
// Usage: node scripts/api-reference.js [--check]   (--check: exit 1 when docs/api.md is stale)
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');

function docOf(checker, symbol) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
  const tags = Object.fromEntries(symbol.getJsDocTags(checker).map((t) => [t.name, ts.displayPartsToString(t.text ?? []).replace(/\s+/g, ' ').trim()]));
  return { text, tags };
}

/** The file of a construct's page in docs/constructs: `IstioGieGateway` -> `istio-gie-gateway.md`. */
const constructPageName = (name) => `${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.md`;

const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The public members of a class declared in src (inherited ones from src included, cdk8s and
 * constructs members left out): a table of methods with their signature and properties with their
 * type, each with its JSDoc. Empty when the class has none.
 */
function membersTable(checker, symbol, srcDir) {
  const decl = symbol.valueDeclaration;
  const fromSrc = (m) => (m.declarations ?? []).some((d) => d.getSourceFile().fileName.startsWith(srcDir));
  const isPublic = (m) => (m.declarations ?? []).every((d) => !(ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !(d.name && ts.isPrivateIdentifier(d.name)));
  const internal = (m) => docOf(checker, m).tags.internal !== undefined;
  const rows = [];
  const add = (members, isStatic) => {
    for (const m of members) {
      if (!fromSrc(m) || !isPublic(m) || internal(m) || m.getName() === 'prototype' || m.getName().startsWith('__@')) continue;
      const d = m.declarations[0];
      const type = checker.getTypeOfSymbolAtLocation(m, decl);
      const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
      let shown;
      if (ts.isMethodDeclaration(d)) {
        const sig = checker.getSignaturesOfType(type, ts.SignatureKind.Call)[0];
        const params = sig.getParameters().map((p) => `${p.getName()}${checker.isOptionalParameter(p.valueDeclaration) ? '?' : ''}`).join(', ');
        shown = `${isStatic ? 'static ' : ''}${m.getName()}(${params}): ${checker.typeToString(sig.getReturnType(), decl, flags)}`;
      } else if (ts.isPropertyDeclaration(d) || ts.isGetAccessorDeclaration(d) || ts.isPropertySignature(d)) {
        shown = `${isStatic ? 'static ' : ''}${m.getName()}: ${checker.typeToString(type, decl, flags)}`;
      } else continue;
      const { text, tags } = docOf(checker, m);
      const note = tags.deprecated !== undefined ? ` Deprecated: ${tags.deprecated}` : '';
      rows.push(`| \`${cell(shown.length > 110 ? `${shown.slice(0, 107)}...` : shown)}\` | ${cell(text + note)} |`);
    }
  };
  add(checker.getPropertiesOfType(checker.getTypeOfSymbolAtLocation(symbol, decl)), true);
  add(checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)), false);
  return rows.length > 0 ? `\n| member | description |\n| --- | --- |\n${rows.join('\n')}\n` : '';
}

/** The Markdown reference of the main entry point. */
function generate() {
  const program = ts.createProgram([path.join(root, 'src', 'index.ts')], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')] });
  const checker = program.getTypeChecker();
  // Values are importable only through `export { ... }` (not `export type`): functions and constants
  // of an area that the entry point re-exports as types only are not API.
  const indexText = fs.readFileSync(path.join(root, 'src', 'index.ts'), 'utf8');
  const values = new Set([...indexText.matchAll(/^export \{([^}]*)\} from/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter(Boolean)));
  const entry = checker.getSymbolAtLocation(program.getSourceFile(path.join(root, 'src', 'index.ts')));
  // Listed under the exported name (`export * as FuriosaPodTypes from` resolves to a module).
  const exports = checker.getExportsOfModule(entry).map((s) => ({ exported: s.getName(), symbol: s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s }));
  const sections = { Constructs: [], 'Classes and builders': [], Functions: [], 'Constants': [], 'Props and options': [], 'Other types': [] };
  for (const { exported, symbol: s } of [...new Map(exports.map((x) => [x.exported, x])).values()].sort((a, b) => a.exported.localeCompare(b.exported))) {
    const decl = s.declarations?.[0];
    if (!decl) continue;
    const { text } = docOf(checker, s);
    const name = exported;
    const isValue = ts.isClassDeclaration(decl) || ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl);
    if (isValue && !values.has(name)) continue;
    if (ts.isClassDeclaration(decl)) {
      const base = checker.getDeclaredTypeOfSymbol(s);
      const isConstruct = checker.getBaseTypes(base).some((b) => /Construct|Chart|LlmdServingStack/.test(checker.typeToString(b)));
      const page = constructPageName(name);
      const pageLink = isConstruct && fs.existsSync(path.join(root, 'docs', 'constructs', page)) ? `\nGuide: [constructs/${page}](constructs/${page}).\n` : '';
      (isConstruct ? sections.Constructs : sections['Classes and builders']).push(`### \`${name}\`\n\n${text || '(no description)'}\n${pageLink}${membersTable(checker, s, path.join(root, 'src'))}`);
    } else if (ts.isFunctionDeclaration(decl)) {
      sections.Functions.push(`- \`${name}\`: ${text || '(no description)'}`);
    } else if (ts.isVariableDeclaration(decl)) {
      sections.Constants.push(`- \`${name}\`: ${text || '(no description)'}`);
    } else if (ts.isInterfaceDeclaration(decl)) {
      const props = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(s));
      const rows = props.map((p) => {
        const d = docOf(checker, p);
        const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(p, decl), decl, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
        const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
        return `| \`${p.getName()}${optional ? '?' : ''}\` | \`${cell(type.length > 80 ? `${type.slice(0, 77)}...` : type)}\` | ${cell(d.text)} | ${cell(d.tags.default ?? (optional ? '' : 'required'))} |`;
      });
      const target = /Props$|Options$/.test(name) ? sections['Props and options'] : sections['Other types'];
      target.push(`### \`${name}\`\n\n${text ? `${text}\n\n` : ''}${rows.length > 0 ? `| field | type | description | default |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n` : ''}`);
    } else {
      sections['Other types'].push(`### \`${name}\`\n\n${text || '(type alias)'}\n`);
    }
  }
  const body = Object.entries(sections).filter(([, l]) => l.length > 0).map(([title, l]) => `## ${title}\n\n${l.join('\n')}\n`).join('\n');
  return `# API reference\n\nGenerated from the JSDoc of \`cdk8s-llm-d\` (src/index.ts) by \`node scripts/api-reference.js\`; a test keeps it in step. Subpath entry points: \`cdk8s-llm-d/helm\` (Helm values -> props), \`cdk8s-llm-d/testing\` (manifest comparison, schema and Pod Security checks).\n\n${body}`;
}

module.exports = { generate, constructPageName };

if (require.main === module) {
  const target = path.join(root, 'docs', 'api.md');
  const text = generate();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
    if (!same) console.error('docs/api.md is stale: run node scripts/api-reference.js');
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(target, text);
  console.log(`wrote docs/api.md (${text.split('\n').length} lines)`);
}
