/** Separators brokers put in codes: "8542.31.000.0", "8542 31", "8542-31". */
const SEPARATORS = /[\s.\-/]/g;

export type HsCodeResult = { ok: true; code: string } | { ok: false; message: string };

/** Normalises a commodity code to digits; valid codes have 2 to 10 digits once separators are removed. */
export function normalizeHsCode(raw: string): HsCodeResult {
  const code = raw.trim().replace(SEPARATORS, '');
  if (!/^\d+$/.test(code))
    return { ok: false, message: 'an HS code holds digits only (dots, spaces and dashes are ignored)' };
  if (code.length < 2 || code.length > 10)
    return { ok: false, message: `an HS code has 2 to 10 digits, this one has ${code.length}` };
  return { ok: true, code };
}
