import type { z } from 'zod';
import type { verifyResult as verifyResultSchema } from '../../audit/audit.schemas';
import type { hitSchema } from '../../declarations/declarations.schemas';
import type { licenceView as licenceViewSchema } from '../../licences/licences.schemas';
import type { versionView as listVersionSchema } from '../../lists/lists.schemas';
import type { sourceView as listSourceSchema } from '../../list-sources/list-sources.schemas';
/**
 * The API shapes the console reads, written by hand from the zod schemas of each feature (src/<feature>/*.schemas.ts):
 * the browser bundle must not pull in zod or server code. Fields the console does not use are left out.
 */
export type Role = 'broker' | 'reviewer' | 'supervisor' | 'auditor' | 'admin';

export interface WhoAmI {
  keyId: string;
  name: string;
  role: Role;
  organization: string;
  /** The person holding the key: four-eyes compares persons. */
  person: string | null;
}

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AuditActor {
  keyId: string | null;
  role: string;
  organization: string | null;
  person?: string;
}

// --- lists (src/lists/lists.schemas.ts) ---
export type VersionStatus = 'importing' | 'held' | 'active' | 'failed' | 'superseded';

/** src/list-sources/list-sources.schemas.ts */
export type ListSource = z.infer<typeof listSourceSchema>;

/** The server's zod schema is the contract; the console adds what GET of one version returns besides. */
export type ListVersion = z.infer<typeof listVersionSchema> & {
  /** Only on GET of one version: the delta re-screening its activation started. */
  rescreen?: RescreenRun | null;
};

/** src/rescreen/rescreen-runs.ts */
export interface RescreenRun {
  status: 'queued' | 'running' | 'completed' | 'failed';
  deltaEntries: number | null;
  candidates: number | null;
  processed: number;
  flagged: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface ListView {
  id: string;
  kind: 'goods' | 'entities';
  name: string;
  activeVersion: ListVersion | null;
}

// --- audit (src/audit/audit.schemas.ts) ---
export type VerifyResult = z.infer<typeof verifyResultSchema>;

// --- declarations (src/declarations/declarations.schemas.ts, declarations.routes.ts) ---
export type Outcome = 'CLEAR' | 'REVIEW' | 'BLOCK';
export type DeclarationStatus = 'screening' | 'cleared' | 'under_review' | 'information_requested' | 'released' | 'held' | 'refused';

export interface Identifier {
  type: string;
  value: string;
  country?: string;
  label?: string;
}

export interface Party {
  name: string;
  country: string;
  address?: string;
  identifiers?: Identifier[];
}

export interface DeclarationItem {
  lineNo: number;
  hsCode: string;
  description: string;
  countryOfOrigin: string;
  quantity?: number;
  unit?: string;
  netMassKg?: number;
  value: { amount: number; currency: string };
  manufacturer?: Party;
  /** A licence or permit of the registry cited for this line. */
  licenceNumber?: string;
}

export const PARTY_ROLES = ['declarant', 'consignor', 'consignee', 'notifyParty', 'endUser', 'carrier'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export type DeclarationBody = {
  reference: string;
  procedure: 'import' | 'export' | 'transit';
  countryOfDispatch: string;
  countryOfDestination: string;
  transitCountries?: string[];
  items: DeclarationItem[];
  /** Electronic invoices the declaration cites (src/invoices). */
  invoiceNumbers?: string[];
} & { [R in PartyRole]?: Party };

export type HitKind = 'goods' | 'party' | 'route' | 'indicator';
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface TokenComparison {
  queryToken: string | null;
  listToken: string | null;
  similarity: number;
  note: string;
  weight: number;
  role?: string;
}

/** src/screening/matching/types.ts MatchExplanation */
export interface MatchExplanation {
  queryName: string;
  listName: string;
  normalizedQuery: string;
  normalizedList: string;
  tokens: TokenComparison[];
  legalFormsIgnored?: { query: string[]; list: string[] };
  nameScore?: number;
  adjustments: { reason: string; delta: number }[];
  identifier?: { queryType: string; listType: string; value: string };
  summary: string;
}

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
  licence?: { number: string; status: string; remainingAfter?: number | null; measure?: string | null; scope?: string | null };
}

export type Hit = z.infer<typeof hitSchema>;

/** src/licences/licences.schemas.ts */
export type Licence = z.infer<typeof licenceViewSchema>;

export interface Screening {
  id: string;
  outcome: Outcome;
  riskScore: number;
  hits: Hit[];
  listVersions: Record<string, string>;
  rulesetVersion: string;
  screenedAt: string;
  trigger?: string;
}

export interface DeclarationSummary {
  id: string;
  reference: string;
  organization: string;
  procedure: string;
  status: DeclarationStatus;
  outcome: Outcome | null;
  riskScore: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryEvent {
  seq: number | string | null;
  occurredAt: string;
  actor: AuditActor;
  action: string;
  subjectType?: string;
  subjectId?: string;
  data: Record<string, unknown>;
}

export interface DeclarationDetail extends DeclarationSummary {
  declaration: DeclarationBody;
  screening: Screening | null;
  case?: { id: string; status: string; level: string; priority: number; deadline: string; overdue?: boolean; assignee: string | null } | null;
  history?: HistoryEvent[];
  /** The open request for information (message and dates only) and the broker's answers, newest first. */
  informationRequest?: { message: string; requestedAt: string; respondBy: string } | null;
  responses?: { id: string; message: string; documentIds: string[]; createdAt: string }[];
}

// --- cases (src/cases/cases.schemas.ts) ---
export type CaseStatus = 'open' | 'held' | 'escalated' | 'awaiting_approval' | 'information_requested' | 'closed';
export type DecisionAction = 'release' | 'hold' | 'refuse' | 'escalate' | 'request_info';

export interface ReviewCase {
  id: string;
  declarationId: string;
  reference: string;
  organization: string;
  status: CaseStatus;
  /** The screening outcome that opened (or last raised) the case. */
  level: 'REVIEW' | 'BLOCK';
  priority: 'critical' | 'high' | 'normal' | 'low';
  /** 1 = critical ... 4 = low. */
  priorityRank: number;
  riskScore: number;
  deadline: string;
  /** Set while a request for information waits: the SLA clock stands. */
  slaPausedAt?: string | null;
  overdue: boolean;
  escalated: boolean;
  /** Key id of the claimant; `claimed` says whether the claim is live. */
  assignee: string | null;
  assigneeName: string | null;
  assigneePerson?: string | null;
  leaseExpiresAt: string | null;
  claimed: boolean;
  resolution: 'released' | 'refused' | null;
  awaitingApproval: { decisionId: string; action: DecisionAction; decidedBy: string; decidedByPerson?: string | null; decidedAt: string; awaiting: string } | null;
  createdAt: string;
  updatedAt?: string;
  closedAt: string | null;
}

export interface KeyRef {
  keyId: string | null;
  name: string | null;
  person?: string | null;
}

export interface CaseDecision {
  id: string;
  action: DecisionAction;
  level: 'REVIEW' | 'BLOCK';
  reason: string;
  falsePositiveHitIds: string[];
  decidedBy: KeyRef & { role: string };
  decidedAt: string;
  approval: 'not_required' | 'pending' | 'approved' | 'rejected' | 'outdated';
  falsePositiveScope?: 'organization' | 'all';
  approvedBy: KeyRef | null;
  approvalReason: string | null;
  approvedAt: string | null;
}

/** A request for information and the broker's answer (src/information-requests/information-requests.schemas.ts). */
export interface InformationRequest {
  id: string;
  decisionId: string;
  status: 'open' | 'answered' | 'withdrawn';
  message: string;
  requestedBy: KeyRef;
  requestedAt: string;
  respondBy: string;
  overdueAt: string | null;
  response: {
    id: string;
    message: string;
    documentIds: string[];
    documents: { id: string; filename: string | null; contentType: string; size: number }[];
    respondedBy: KeyRef;
    receivedAt: string;
  } | null;
}

export interface CaseDetail {
  case: ReviewCase;
  /** Newest first. */
  informationRequests?: InformationRequest[];
  declaration: DeclarationSummary & { body: DeclarationBody };
  screening: (Screening & { hits: (Hit & { listEntry?: Record<string, unknown> | null })[] }) | null;
  /** Newest first. */
  decisions: CaseDecision[];
  /** Oldest first. */
  history: HistoryEvent[];
  /** Internal notes, newest first (src/cases/cases.schemas.ts noteView). */
  notes: CaseNote[];
  /** The declaration's documents, oldest first (src/documents/documents.schemas.ts). */
  documents: CaseDocument[];
}

export interface CaseNote {
  id: string;
  text: string;
  author: { keyId: string; person: string | null; role: string };
  createdAt: string;
}

export interface CaseDocument {
  id: string;
  declarationId: string;
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: { keyId: string; person: string | null; role: string };
  createdAt: string;
}
