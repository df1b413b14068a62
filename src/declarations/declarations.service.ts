import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { Logger } from 'pino';
import { findSubjectHistory } from '../audit/declaration-history.repository';
import { auditActor, seesAllOrganizations } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import type { DocumentsService } from '../documents/documents.service';
import { ConflictError, NotFoundError } from '../http/errors';
import { decodeCursor, page } from '../http/pagination';
import type { DeclarationInformation } from './declarations.schemas';
import type { DeclarationInput } from '../screening/declaration-input';
import { IdempotencyStore, requestHash } from './idempotency';
import { citesLicences, drawDownLicences } from '../licences/drawdown';
import type { DeclarationCases } from './declaration-cases';
import { writeNewDeclarationCounted } from './declaration-writer';
import { findDeclaration, findDeclarationPage, findScreenings } from './declarations.repository';
import { organizationScope, type SearchFilters } from './search-filter';
import type { ScreeningPipeline } from './screening-pipeline';

export interface SubmitAnswer {
  /** Always 201: the only answer stored under a key is the writer's (response_status 201), so a replay is one too. */
  status: 201;
  body: Record<string, unknown>;
  replayed: boolean;
  /** The body is already the broker's view (parsed through submitResponse by the writer): no second parse needed. */
  brokerView?: boolean;
}

const UNIQUE_VIOLATION = '23505';

export function isReferenceConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  return e.code === UNIQUE_VIOLATION && (e.constraint ?? e.driverError?.constraint) === 'declarations_reference_unique';
}

export class DeclarationsService {
  private readonly idempotency: IdempotencyStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    readonly pipeline: ScreeningPipeline,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly documents: Pick<DocumentsService, 'forDeclaration'>,
    /** The declaration's review case and final decision (src/cases). */
    private readonly cases: Pick<DeclarationCases, 'caseOf' | 'finalDecision'>,
    /** Adds the open request for information and the broker's answers to the view. */
    private readonly informationRequests?: DeclarationInformation,
  ) {
    this.idempotency = new IdempotencyStore(dataSource);
  }

  /**
   * Screens and stores one declaration. Redis is not on this path: the declaration, screening, case, audit events,
   * outbox rows and the idempotent answer commit in one PostgreSQL transaction.
   */
  async submit(actor: Actor, idempotencyKey: string, input: DeclarationInput): Promise<SubmitAnswer> {
    const hash = requestHash(input);
    const start = await this.idempotency.begin(actor.organization, idempotencyKey, hash);
    if (start.kind === 'replay')
      return { status: start.status as 201, body: start.body as Record<string, unknown>, replayed: true };
    try {
      const result = await this.pipeline.screen(input, actor.organization, undefined, start.listGeneration);
      const write = (m: EntityManager) =>
        writeNewDeclarationCounted(m, this.config, {
          actor: auditActor(actor),
          organization: actor.organization,
          submittedBy: actor.keyId,
          input,
          result,
          trigger: 'submission',
          batchId: null,
          idempotency: { key: idempotencyKey, requestHash: hash },
        });
      // A clearance at screening is a final release: a line under a licence draws on it in the same transaction (the
      // rare path: declarations without cited licences keep the one-statement write).
      const { answer: body } =
        result.outcome === 'CLEAR' && citesLicences(input)
          ? await this.uow.run(async (m) => {
              const written = await write(m);
              await drawDownLicences(m, auditActor(actor), written.answer.id as string, input, 'clearance');
              return written;
            })
          : await this.uow.runStatement(write, (written) => written.queuedJobs > 0);
      return { status: 201, body, replayed: false, brokerView: true };
    } catch (err) {
      await this.idempotency
        .abandon(actor.organization, idempotencyKey)
        .catch((e) => this.logger.error({ err: e }, 'could not free idempotency key'));
      if (isReferenceConflict(err))
        throw new ConflictError(
          'reference_exists',
          `A declaration with reference "${input.reference}" already exists for your organisation.`,
        );
      throw err;
    }
  }

  /**
   * A declaration with its latest screening, earlier screenings and final decision, plus its case and history for the
   * customs authority; 404 outside the caller's reach. The route parses the answer through the caller's view schema.
   */
  async get(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const d = await findDeclaration(this.dataSource, id);
    if (!d || (!seesAllOrganizations(actor) && d.organization !== actor.organization))
      throw new NotFoundError('Declaration');
    const screenings = await findScreenings(this.dataSource, id);
    const view = (s: Record<string, unknown>) => ({
      id: s.id,
      trigger: s.trigger,
      outcome: s.outcome,
      riskScore: s.risk_score,
      hits: s.hits,
      listVersions: s.list_versions,
      rulesetVersion: s.ruleset_version,
      screenedAt: (s.screened_at as Date).toISOString(),
    });
    const answer: Record<string, unknown> = {
      ...this.summary(d),
      declaration: d.body,
      screening: screenings[0] ? view(screenings[0]) : null,
      previousScreenings: screenings.slice(1).map(view),
      decision: await this.finalDecision(id, d.status),
      ...(this.informationRequests ? await this.informationRequests.forDeclaration(id) : {}),
    };
    // The review itself is for the customs authority only: a broker's answer never even reads it.
    if (!seesAllOrganizations(actor)) return answer;
    const reviewCase = await this.cases.caseOf(id);
    const history = await findSubjectHistory(this.dataSource, id, reviewCase?.id ?? id);
    return {
      ...answer,
      case: reviewCase
        ? {
            id: reviewCase.id,
            status: reviewCase.status,
            level: reviewCase.level,
            priority: reviewCase.priority,
            deadline: reviewCase.deadline.toISOString(),
            overdue: reviewCase.overdue,
            assignee: reviewCase.assignee_key_id,
            createdAt: reviewCase.created_at.toISOString(),
            closedAt: reviewCase.closed_at?.toISOString() ?? null,
          }
        : null,
      history,
      documents: await this.documents.forDeclaration(id),
    };
  }

  /** The decision that gave a released, held or refused declaration its status (final: approved where it needed to be). */
  private async finalDecision(
    declarationId: string,
    status: string,
  ): Promise<{ action: string; decidedAt: string } | null> {
    if (!['released', 'held', 'refused'].includes(status)) return null;
    const row = await this.cases.finalDecision(declarationId);
    return row ? { action: row.action, decidedAt: row.decided_at.toISOString() } : null;
  }

  summary(d: Record<string, any>): Record<string, unknown> {
    return {
      id: d.id,
      reference: d.reference,
      organization: d.organization,
      procedure: d.procedure,
      status: d.status,
      outcome: d.outcome,
      riskScore: d.risk_score,
      batchId: d.batch_id,
      createdAt: d.created_at.toISOString(),
      updatedAt: d.updated_at.toISOString(),
    };
  }

  /**
   * A page of declarations, newest first. With search filters the page is read from declaration_search (which carries
   * the organisation and creation time, so filter, order and limit happen on its indexes) and joined to declarations.
   */
  async list(
    actor: Actor,
    q: {
      status?: string;
      outcome?: string;
      reference?: string;
      from?: string;
      to?: string;
      limit: number;
      cursor?: string;
    } & SearchFilters,
  ) {
    const organization = organizationScope(actor, q.organization);
    const rows = await findDeclarationPage(this.dataSource, {
      ...q,
      organizationScope: organization,
      after: decodeCursor(q.cursor),
      limit: q.limit + 1,
    });
    const result = page(rows, q.limit, (r) => [r.created_at, r.id]);
    return { items: result.items.map((r) => this.summary(r)), nextCursor: result.nextCursor };
  }
}
