import type { FieldError } from './errors';

/**
 * Input hygiene for every request: a string holding U+0000, another C0 control character or a lone UTF-16 surrogate is
 * refused with a 400 naming the field, before any schema or query sees it. PostgreSQL cannot store U+0000 or a lone
 * surrogate in text/jsonb (that was a 500), and control characters in names and references corrupt CSV exports and
 * the console. Tab, CR and LF are allowed only in free-text fields, recognised by their property name, so the rule
 * reaches every route (present and future) from one place without each schema repeating it.
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'description',
  'reason',
  'message',
  'text',
  'note',
  'notes',
  'comment',
  'address',
  'approvalReason',
]);

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_ERRORS = 20;
const MAX_DEPTH = 32;

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why the string is refused, or undefined when it is clean. */
export function textProblem(value: string, freeText: boolean): string | undefined {
  const control = CONTROL.exec(value);
  if (control) return `must not contain control characters (found ${codePoint(control[0])})`;
  if (!freeText) {
    const breakOrTab = LINE_BREAK_OR_TAB.exec(value);
    if (breakOrTab) return `must be a single line without tabs (found ${codePoint(breakOrTab[0])})`;
  }
  const lone = LONE_SURROGATE.exec(value);
  if (lone) return `must be well-formed Unicode (found a lone surrogate ${codePoint(lone[0])})`;
  return undefined;
}

/** Every character any rule of textProblem looks at: a string without one is clean (one scan, the common case). */
const SUSPECT = /[\u0000-\u001F\uD800-\uDFFF]/;

/** A field's path, built only when an error names it (most bodies have none, and a body has hundreds of fields). */
interface PathNode {
  readonly parent: PathNode | undefined;
  /** A property name (`.name`) or an array index (`[3]`); at the root, the prefix itself. */
  readonly step: string | number;
}

function pathOf(node: PathNode): string {
  const steps: string[] = [];
  for (let n: PathNode | undefined = node; n; n = n.parent) {
    if (!n.parent) steps.push(String(n.step));
    else steps.push(typeof n.step === 'number' ? `[${n.step}]` : `.${n.step}`);
  }
  return steps.reverse().join('');
}

/**
 * Walks a parsed body, query or params object and names each bad string (and each bad property name). `where` is
 * the prefix of the reported paths (`body`, `query`, `params`), the same format as schema errors.
 */
export function inputProblems(value: unknown, where: string): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (v: unknown, path: PathNode, key: string | undefined, depth: number) => {
    if (errors.length >= MAX_ERRORS) return;
    if (typeof v === 'string') {
      if (!SUSPECT.test(v)) return;
      const problem = textProblem(v, key !== undefined && FREE_TEXT_FIELDS.has(key));
      if (problem) errors.push({ path: pathOf(path), message: problem });
      return;
    }
    if (!v || typeof v !== 'object' || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      // An array of strings under a free-text name (notes: [...]) is free text too.
      for (let i = 0; i < v.length; i += 1) walk(v[i], { parent: path, step: i }, key, depth + 1);
      return;
    }
    const obj = v as Record<string, unknown>;
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      const keyProblem = SUSPECT.test(k) ? textProblem(k, false) : undefined;
      if (keyProblem) {
        errors.push({
          path: `${pathOf(path)}[${JSON.stringify(k)}]`,
          message: `property name ${keyProblem}`,
        });
        continue;
      }
      walk(obj[k], { parent: path, step: k }, k, depth + 1);
    }
  };
  walk(value, { parent: undefined, step: where }, undefined, 0);
  return errors;
}
