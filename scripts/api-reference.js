// The project's TypeDoc plugin (typedoc.json `plugin`), for the API reference in docs/api/:
// - names the modules after the package's entry points (`cdk8s-llm-d`, `cdk8s-llm-d/helm`, ...);
// - leaves out the functions and constants that an entry point exports only as types (through
//   `export type * from`): they are not API, and a reference listing them would show a value
//   that `import { ... }` cannot use;
// - marks what is left of a types-only export (a namespace of types, a class exported with
//   `export type`) as such, so that nothing types-only looks importable as a value.
// It also holds helpers the tests share: `constructPageName` and `runtimeExportNames`.
'use strict';

/** The file of a construct's page in docs/constructs: `IstioGieGateway` -> `istio-gie-gateway.md`. */
const constructPageName = (name) => `${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.md`;

/** Entry point file (relative to the repository, POSIX) -> the name it is imported by. */
const ENTRY_POINTS = {
  'src/index.ts': 'cdk8s-llm-d',
  'src/helm/index.ts': 'cdk8s-llm-d/helm',
  'src/testing/index.ts': 'cdk8s-llm-d/testing',
};

/**
 * The names a module (a source or a declaration file) exports as values, that is what `require()`
 * of its compiled JavaScript has: TypeScript's rules read from its export statements (`export type`
 * and names without a value meaning, interfaces and type aliases, are elided; `export * from`
 * follows the module).
 */
function runtimeExportNames(ts, checker, file, seen = new Map()) {
  if (seen.has(file.fileName)) return seen.get(file.fileName);
  const names = new Set();
  seen.set(file.fileName, names);
  const moduleFile = (specifier) => {
    const s = checker.getSymbolAtLocation(specifier);
    const d = s && s.valueDeclaration;
    return d && ts.isSourceFile(d) ? d : undefined;
  };
  // A local binding is a value when it is declared as one, or imported (not `import type`) as one.
  const localIsValue = (id) => {
    const s = checker.getSymbolAtLocation(id);
    if (s === undefined) return false;
    const d = s.declarations && s.declarations[0];
    if (d && (ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d))) {
      const decl = ts.findAncestor(d, ts.isImportDeclaration);
      if (d.isTypeOnly || decl.importClause.isTypeOnly) return false;
      if (ts.isNamespaceImport(d)) return true;
      const from = moduleFile(decl.moduleSpecifier);
      const imported = ts.isImportClause(d) ? 'default' : (d.propertyName || d.name).text;
      return from !== undefined && runtimeExportNames(ts, checker, from, seen).has(imported);
    }
    return (s.flags & ts.SymbolFlags.Value) !== 0;
  };
  // `export declare ...` has no value in a source file; in a declaration file every statement is `declare`.
  const exported = (st) => (ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Export) !== 0 && (file.isDeclarationFile || (ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Ambient) === 0);
  for (const st of file.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.isTypeOnly) continue;
      const from = st.moduleSpecifier && moduleFile(st.moduleSpecifier);
      if (st.exportClause === undefined) {
        if (from) for (const n of runtimeExportNames(ts, checker, from, seen)) if (n !== 'default') names.add(n);
      } else if (ts.isNamespaceExport(st.exportClause)) {
        names.add(st.exportClause.name.text);
      } else {
        for (const el of st.exportClause.elements) {
          if (el.isTypeOnly) continue;
          const source = el.propertyName || el.name;
          const isValue = st.moduleSpecifier ? from !== undefined && runtimeExportNames(ts, checker, from, seen).has(source.text) : localIsValue(source);
          if (isValue) names.add(el.name.text);
        }
      }
    } else if (ts.isExportAssignment(st)) {
      names.add('default');
    } else if (ts.isVariableStatement(st) && exported(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name && exported(st)) {
      names.add(st.name.text);
    } else if (ts.isEnumDeclaration(st) && exported(st) && !(ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Const)) {
      names.add(st.name.text);
    } else if (ts.isModuleDeclaration(st) && exported(st) && ts.getModuleInstanceState && ts.getModuleInstanceState(st) !== 0) {
      names.add(st.name.text);
    }
  }
  return names;
}

/** TypeDoc plugin entry. */
async function load(app) {
  const ts = require('typescript');
  const { Comment, Converter, ReflectionKind } = await import('typedoc');
  const path = require('path');
  const typesOnlyNote = (entry, name, kind) =>
    `**Types only**: \`${entry}\` exports this ${kind} with \`export type\`, so it is not a value at run time. ` +
    `Import it with \`import type { ${name} } from '${entry}'\` and use it only in types.`;
  const onlyTypesInside = (r) => (r.children || []).every((c) => c.kindOf(ReflectionKind.Interface | ReflectionKind.TypeAlias) || (c.kindOf(ReflectionKind.Namespace) && onlyTypesInside(c)));

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    const root = path.dirname(app.options.getValue('tsconfig'));
    for (const mod of [...(project.children || [])]) {
      if (!mod.kindOf(ReflectionKind.Module)) continue;
      const symbol = context.getSymbolFromReflection(mod);
      const file = symbol && (symbol.declarations || []).find((d) => ts.isSourceFile(d));
      if (!file) continue;
      const entry = ENTRY_POINTS[path.relative(root, file.fileName).split(path.sep).join('/')];
      if (entry === undefined) continue;
      mod.name = entry;
      const howToImport = {
        kind: 'text',
        text: `Classes, functions and variables are values: \`import { ... } from '${entry}'\`. ` +
          `Interfaces, type aliases and what is marked **Types only** are types: \`import type { ... } from '${entry}'\`.`,
      };
      if (mod.comment === undefined) mod.comment = new Comment([howToImport]);
      else mod.comment.summary = [howToImport, { kind: 'text', text: '\n\n' }, ...mod.comment.summary];
      const program = context.programs.find((p) => p.getSourceFile(file.fileName) === file);
      const values = runtimeExportNames(ts, program.getTypeChecker(), file);
      for (const child of [...(mod.children || [])]) {
        if (!child.kindOf(ReflectionKind.SomeValue | ReflectionKind.Class | ReflectionKind.Enum | ReflectionKind.Namespace) || values.has(child.name)) continue;
        // A class or enum is a type too, and a namespace of types is types only: kept, and marked.
        const keep = child.kindOf(ReflectionKind.Class | ReflectionKind.Enum) || (child.kindOf(ReflectionKind.Namespace) && onlyTypesInside(child));
        if (!keep) {
          project.removeReflection(child);
          continue;
        }
        const kind = ReflectionKind.singularString(child.kind).toLowerCase();
        const note = { kind: 'text', text: typesOnlyNote(entry, child.name, kind) };
        if (child.comment === undefined) child.comment = new Comment([note]);
        else child.comment.summary = [note, { kind: 'text', text: '\n\n' }, ...child.comment.summary];
      }
    }
  });
}

module.exports = { load, constructPageName, runtimeExportNames, ENTRY_POINTS };
