/**
 * System findings as the library reports every problem: at the construct path (or file) of the
 * object, with field, value, allowed and why, the object and the rule named in the message.
 */
import { describeProblem, ReportedProblem } from '../core/errors';
import { describeObject, SystemFinding } from './finding';

/** A finding as a {@link ReportedProblem} at its source (or the object's name when it has none). */
export function reportFinding(f: SystemFinding): ReportedProblem {
  const path = f.source ?? describeObject(f.object);
  const p = { field: f.field, value: f.value, allowed: f.allowed, ...(f.why !== undefined ? { why: f.why } : {}) };
  return { path, ...p, message: `${describeObject(f.object)} [${f.rule}] ${describeProblem(p)}` };
}
