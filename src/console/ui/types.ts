/**
 * The API shapes the console reads, typed from the zod schemas of each feature (src/<feature>/*.schemas.ts). Every
 * import of server code here is `import type`: esbuild drops it, so the browser bundle gets no zod and no server code.
 */
import type {
  AuditActorView,
  HistoryEvent as HistoryEventView,
  VerifyResult as VerifyResultView,
} from '../../audit/audit.schemas';
import type { WhoAmI as WhoAmIView } from '../../auth/api-keys.schemas';
import type {
  CaseDetail as CaseDetailView,
  CaseStatus as CaseStatusView,
  CaseView,
  DecisionAction as DecisionActionView,
  DecisionView,
  NoteView,
} from '../../cases/cases.schemas';
import type {
  DeclarationDetail as DeclarationDetailView,
  DeclarationStatus as DeclarationStatusView,
  DeclarationSummary as DeclarationSummaryView,
  HitView,
  ScreeningView,
} from '../../declarations/declarations.schemas';
import type {
  DeclarationInput,
  DeclarationItem as DeclarationItemView,
  Identifier as IdentifierView,
  PartyInput,
  PartyRole as PartyRoleView,
} from '../../screening/declaration-input';
import type { DocumentView } from '../../documents/documents.schemas';
import type { CaseInformationRequest } from '../../cases/case-information.schemas';
import type { LicenceView } from '../../licences/licences.schemas';
import type { SourceView } from '../../list-sources/list-sources.schemas';
import type { ListVersionView, ListView as ListViewSchema } from '../../lists/lists.schemas';
import type { MatchExplanation as MatchExplanationView } from '../../screening/matching/types';

/** The calling key; `person` is who holds it: four-eyes compares persons. */
export type WhoAmI = WhoAmIView;
export type Role = WhoAmI['role'];

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export type AuditActor = AuditActorView;

// --- lists (src/lists/lists.schemas.ts) ---
/** `rescreen` only on GET of one version: the delta re-screening its activation started. */
export type ListVersion = ListVersionView;
export type VersionStatus = ListVersion['status'];
export type RescreenRun = NonNullable<ListVersion['rescreen']>;
export type ListView = ListViewSchema;

/** src/list-sources/list-sources.schemas.ts */
export type ListSource = SourceView;

// --- audit (src/audit/audit.schemas.ts) ---
export type VerifyResult = VerifyResultView;

// --- declarations (src/declarations/declarations.schemas.ts, declarations.routes.ts) ---
export type Outcome = ScreeningView['outcome'];
export type DeclarationStatus = DeclarationStatusView;

/** Identifiers as declared, and as list entries carry them (src/domain/list-entry.ts IdentifierRef: country, label). */
export type Identifier = IdentifierView & { country?: string; label?: string };

export type Party = PartyInput;
export type DeclarationItem = DeclarationItemView;

/** A value, so a copy (the bundle takes no server code); `satisfies` keeps it to the server's roles. */
export const PARTY_ROLES = [
  'declarant',
  'consignor',
  'consignee',
  'notifyParty',
  'endUser',
  'carrier',
] as const satisfies readonly PartyRoleView[];
export type PartyRole = PartyRoleView;

/** The declaration as submitted (its schema's output: what the server stored); the console shows whichever parties it has. */
export type DeclarationBody = Omit<DeclarationInput, PartyRole> & { [R in PartyRole]?: Party };

export type HitKind = HitView['kind'];
export type Severity = HitView['severity'];

/** Hit evidence is an open record in the API schema; the party match explanation is the matcher's own type. */
export type MatchExplanation = MatchExplanationView;
export type TokenComparison = MatchExplanation['tokens'][number];

export interface PartyEvidence {
  query: { name: string; country?: string; identifiers?: Identifier[] };
  match: MatchExplanation;
  entry: { kind?: string; names: string[]; programs: string[]; identifiers: Identifier[]; countries: string[] };
  matchKind: 'name' | 'identifier';
}

export interface GoodsEvidence {
  hsCode: string;
  prefix: string;
  label: string;
  source?: string | null;
  severity: string;
  description?: string;
  /** Set when the line cites a licence: 'licensed', or the problem (unknown, expired, exhausted, ...). */
  licence?: {
    number: string;
    status: string;
    remainingAfter?: number | null;
    measure?: string | null;
    scope?: string | null;
  };
}

export type Hit = HitView;

/** src/licences/licences.schemas.ts */
export type Licence = LicenceView;

export type Screening = ScreeningView;
export type DeclarationSummary = DeclarationSummaryView;
export type HistoryEvent = HistoryEventView;

/** The declaration body is an open record in the API schema; the console reads it as the declaration it was submitted as. */
export type DeclarationDetail = Omit<DeclarationDetailView, 'declaration'> & { declaration: DeclarationBody };

// --- cases (src/cases/cases.schemas.ts) ---
export type CaseStatus = CaseStatusView;
export type DecisionAction = DecisionActionView;
export type ReviewCase = CaseView;
export type KeyRef = NonNullable<DecisionView['approvedBy']>;
export type CaseDecision = DecisionView;

/** A request for information and the broker's answer (src/cases/case-information.schemas.ts). */
export type InformationRequest = CaseInformationRequest;

export type CaseDetail = CaseDetailView;

/** Internal notes, newest first (src/cases/cases.schemas.ts noteView). */
export type CaseNote = NoteView;

/** The declaration's documents (src/documents/documents.schemas.ts). */
export type CaseDocument = DocumentView;
