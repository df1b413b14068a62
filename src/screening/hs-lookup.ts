/**
 * What screening asks of the HS2022 nomenclature: whether a declared code exists at all. The nomenclature itself is
 * loaded by src/lists/hs-nomenclature.ts from the UN Comtrade file in the lists' seed-data.
 */
export interface HsLookup {
  /** True when the code's HS-6 (HS-4 for 4-5 digit codes, chapter for 2-3 digits) exists in HS2022. */
  exists: boolean;
  /** The HS code that was checked: the first 6, 4 or 2 digits. */
  hsCode?: string;
  level?: 2 | 4 | 6;
  description?: string;
}

export interface HsNomenclature {
  /** For a normalised digit code (2-10 digits; national extensions beyond 6 digits are not checked). */
  lookup(code: string): HsLookup;
  readonly counts: { chapters: number; headings: number; subheadings: number };
}
