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

/**
 * Walks a parsed body, query or params object and names each bad string (and each bad property name). `where` is
 * the prefix of the reported paths (`body`, `query`, `params`), the same format as schema errors.
 */
export function inputProblems(value: unknown, where: string): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (v: unknown, path: string, key: string | undefined, depth: number) => {
    if (errors.length >= MAX_ERRORS) return;
    if (typeof v === 'string') {
      const problem = textProblem(v, key !== undefined && FREE_TEXT_FIELDS.has(key));
      if (problem) errors.push({ path, message: problem });
      return;
    }
    if (!v || typeof v !== 'object' || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      // An array of strings under a free-text name (notes: [...]) is free text too.
      v.forEach((item, i) => walk(item, `${path}[${i}]`, key, depth + 1));
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      const keyProblem = textProblem(k, false);
      if (keyProblem) {
        errors.push({ path: `${path}[${JSON.stringify(k)}]`, message: `property name ${keyProblem}` });
        continue;
      }
      walk(item, `${path}.${k}`, k, depth + 1);
    }
  };
  walk(value, where, undefined, 0);
  return errors;
}
