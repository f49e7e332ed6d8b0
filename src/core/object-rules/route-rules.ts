import { Problem } from '../errors';
import { Json, asArray, asObject } from './json';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** A problem unless `pattern` compiles (Envoy uses RE2; a pattern JavaScript cannot compile surely fails there too). */
export function regexProblem(field: string, pattern: unknown): Problem | undefined {
  try {
    if (typeof pattern === 'string') {
      new RegExp(pattern);
      return undefined;
    }
  } catch {
    // fall through
  }
  return { field, value: pattern, allowed: 'a regular expression that compiles (RE2 syntax)' };
}

/** A header (or query) value the proxy can send: no CR, LF or NUL (they would split or end the header). */
export function headerValueProblem(field: string, value: unknown): Problem | undefined {
  return typeof value === 'string' && !/[\r\n\0]/.test(value) ? undefined : { field, value, allowed: 'a value without CR, LF or NUL characters' };
}

export function headerNameProblem(field: string, name: unknown): Problem | undefined {
  return typeof name === 'string' && HEADER_NAME.test(name) ? undefined : { field, value: name, allowed: 'an HTTP header name (RFC 7230 token)' };
}

function modifierProblems(field: string, modifier: Json | undefined): Problem[] {
  if (!modifier) return [];
  const out: Problem[] = [];
  for (const op of ['set', 'add'] as const) {
    asArray(modifier[op]).forEach((raw, i) => {
      const h = asObject(raw);
      if (!h) return;
      const n = headerNameProblem(`${field}.${op}[${i}].name`, h.name);
      const v = headerValueProblem(`${field}.${op}[${i}].value`, h.value);
      if (n) out.push(n);
      if (v) out.push(v);
    });
  }
  return out;
}

/** Matches and header filters of an HTTPRoute (or GRPCRoute) spec. */
export function routeProblems(spec: Json): Problem[] {
  const out: Problem[] = [];
  asArray(spec.rules).forEach((rawRule, r) => {
    const rule = asObject(rawRule);
    if (!rule) return;
    asArray(rule.matches).forEach((rawMatch, m) => {
      const match = asObject(rawMatch);
      if (!match) return;
      const f = `spec.rules[${r}].matches[${m}]`;
      const path = asObject(match.path);
      if (path) {
        if (path.type === 'RegularExpression') {
          const p = regexProblem(`${f}.path.value`, path.value);
          if (p) out.push(p);
        } else if (path.value !== undefined && (typeof path.value !== 'string' || !path.value.startsWith('/'))) {
          out.push({ field: `${f}.path.value`, value: path.value, allowed: 'a path starting with "/"' });
        }
      }
      for (const list of ['headers', 'queryParams'] as const) {
        asArray(match[list]).forEach((raw, i) => {
          const h = asObject(raw);
          if (!h) return;
          const hf = `${f}.${list}[${i}]`;
          const problems = [
            list === 'headers' ? headerNameProblem(`${hf}.name`, h.name) : undefined,
            h.type === 'RegularExpression' ? regexProblem(`${hf}.value`, h.value) : headerValueProblem(`${hf}.value`, h.value),
          ];
          out.push(...problems.filter((p): p is Problem => p !== undefined));
        });
      }
    });
    asArray(rule.filters).forEach((raw, i) => {
      const filter = asObject(raw);
      if (!filter) return;
      const f = `spec.rules[${r}].filters[${i}]`;
      out.push(...modifierProblems(`${f}.requestHeaderModifier`, asObject(filter.requestHeaderModifier)));
      out.push(...modifierProblems(`${f}.responseHeaderModifier`, asObject(filter.responseHeaderModifier)));
    });
  });
  return out;
}
