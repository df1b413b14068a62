import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isCountryCode } from '../identifiers/countries';

const country = z.string().refine((c) => isCountryCode(c), 'not an ISO 3166-1 alpha-2 code');
const weight = z.number().min(0).max(100);
const severity = z.enum(['critical', 'high', 'medium', 'low']);

/**
 * Which FollowTheMoney topics make a record a list target, and the severity of a hit on it. Records of a topic-tagged
 * source (OpenSanctions) without any of these are context: stored for the ownership graph, never a hit by themselves.
 */
export const DEFAULT_TARGET_TOPICS = {
  sanction: 'critical',
  'sanction.linked': 'high',
  debarment: 'high',
  'export.control': 'high',
} as const;

/** The 50% rule (issue 13); see README "Ownership". */
const ownershipSchema = z
  .object({
    /** Aggregate share held by listed parties from which an entity counts as owned by them (OFAC: 0.5). */
    threshold: z.number().gt(0).max(1),
    /** Outcome of a strong match to an entity owned at or above the threshold: OFAC blocks it like the owner. */
    ownedOutcome: z.enum(['BLOCK', 'REVIEW']),
    /** Weight of an "owned by" hit (times the match score for name matches), as weights.party. */
    ownedWeight: weight,
    /** Weight and severity of a "controlled by" / "linked to" hit (no stated share): always REVIEW level. */
    controlWeight: weight,
    controlSeverity: severity,
  })
  .strict();

export const rulesetSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.string().min(1),
    partyBands: z
      .object({ review: z.number().min(0).max(1), block: z.number().min(0).max(1) })
      .refine((b) => b.review <= b.block, 'review band must not exceed block band'),
    riskThresholds: z.object({ review: z.number().int().min(1).max(100) }),
    weights: z.object({
      goods: z.object({ high: weight, medium: weight, low: weight }),
      party: weight,
      identifierMatch: weight,
      highRiskCountry: weight,
      highRiskCountryWithControlledGoods: weight,
      restrictedOriginReexport: weight,
      descriptionKeyword: weight,
      unknownHsCode: weight,
      invalidIdentifier: weight,
      /** Controlled goods declared to, or in transit through, a diversion hub. */
      diversionHubWithControlledGoods: weight,
      /** An import of controlled goods made in a country that bans their export to Russia: how re-export stock is built. */
      restrictedOriginImport: weight,
      /** A code past six digits that the configured national tariff file does not hold. */
      unknownNationalCode: weight,
      invoiceMissing: weight,
      invoiceLineMissing: weight,
      invoiceHsDiffers: weight,
      invoiceQuantityDiffers: weight,
      invoiceValueDiffers: weight,
      invoiceCurrencyDiffers: weight,
      invoiceOriginDiffers: weight,
      invoiceSellerNotConsignor: weight,
    }),
    /** Relative differences between a declared line and its invoice line tolerated before a hit (0.05 = 5%). */
    invoiceTolerance: z.object({ quantity: z.number().min(0).max(1), value: z.number().min(0).max(1) }).strict(),
    highRiskCountries: z.array(country).min(1),
    exportBanToRussiaCountries: z.array(country),
    /** Third countries through which controlled goods reach Russia (see DOMAIN.md): a route indicator, and an override condition. */
    diversionHubCountries: z.array(country),
    licences: z
      .object({
        $comment: z.string().optional(),
        /** The weight a goods hit keeps when a valid cited licence covers its line (0: licensed goods do not count). */
        licensedGoodsWeight: weight,
        /** Whether a licensed line still counts as controlled goods for the route rules (high-risk route, restricted origin, diversion hub). */
        licensedLinesCountAsControlled: z.boolean(),
        weights: z
          .object({
            unknown: weight,
            revoked: weight,
            expired: weight,
            notYetValid: weight,
            outOfScope: weight,
            exhausted: weight,
          })
          .strict(),
      })
      .strict(),
    outcomeOverrides: z.array(
      z
        .object({
          $comment: z.string().optional(),
          /** The evidence.rule of a hit (e.g. restricted-origin-reexport), or a hit kind (goods, party). */
          rule: z.string().min(1),
          /** All given conditions must hold; none given: the rule's hit alone suffices. */
          when: z
            .object({
              destinationIn: z
                .array(z.enum(['highRisk', 'diversionHub']))
                .min(1)
                .optional(),
              procedureIn: z
                .array(z.enum(['import', 'export', 'transit']))
                .min(1)
                .optional(),
            })
            .strict()
            .optional(),
          /** Overrides only raise an outcome: a rule set cannot turn a party BLOCK into a clearance. */
          outcome: z.enum(['REVIEW', 'BLOCK']),
        })
        .strict(),
    ),
    targetTopics: z.record(z.string().min(1), severity).default({ ...DEFAULT_TARGET_TOPICS }),
    ownership: ownershipSchema.default({
      threshold: 0.5,
      ownedOutcome: 'BLOCK',
      ownedWeight: 60,
      controlWeight: 40,
      controlSeverity: 'medium',
    }),
    controlledKeywords: z.array(
      z.object({
        pattern: z
          .string()
          .min(1)
          .refine((p) => {
            try {
              new RegExp(p, 'iu');
              return true;
            } catch {
              return false;
            }
          }, 'not a valid regular expression'),
        label: z.string().min(1),
      }),
    ),
  })
  .strict();

export interface Ruleset extends z.infer<typeof rulesetSchema> {
  /** The declared version plus a digest of the file: any edit changes it. */
  rulesetVersion: string;
  highRisk: ReadonlySet<string>;
  exportBan: ReadonlySet<string>;
  diversionHubs: ReadonlySet<string>;
  keywordPatterns: { regex: RegExp; label: string }[];
}

export function parseRuleset(text: string): Ruleset {
  const parsed = rulesetSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `Invalid rule set: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return {
    ...parsed.data,
    rulesetVersion: `${parsed.data.version}+${digest}`,
    highRisk: new Set(parsed.data.highRiskCountries),
    exportBan: new Set(parsed.data.exportBanToRussiaCountries),
    diversionHubs: new Set(parsed.data.diversionHubCountries),
    keywordPatterns: parsed.data.controlledKeywords.map((k) => ({
      regex: new RegExp(k.pattern, 'iu'),
      label: k.label,
    })),
  };
}

/** config/ruleset.json from the project root (src or dist/src below it), or the path given. */
export function loadRuleset(path?: string): Ruleset {
  const candidates = path
    ? [path]
    : [
        join(__dirname, '..', '..', 'config', 'ruleset.json'),
        join(__dirname, '..', '..', '..', 'config', 'ruleset.json'),
      ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`rule set not found at ${candidates.join(' or ')}`);
  return parseRuleset(readFileSync(found, 'utf8'));
}
