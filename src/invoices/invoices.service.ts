import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import { auditActor, seesAllOrganizations } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import { ConflictError, NotFoundError } from '../http/errors';
import { decodeCursor, page } from '../http/pagination';
import { openCitingDeclarations } from '../declarations/invoice-citations.repository';
import {
  insertInvoice,
  isInvoiceNumberConflict,
  listInvoices,
  readInvoice,
  type InvoiceRow,
} from './invoices.repository';
import type { InvoiceInput } from './invoices.schemas';

export function invoiceView(row: InvoiceRow) {
  return {
    id: row.id,
    organization: row.organization,
    number: row.number,
    date: row.invoice_date,
    seller: row.seller,
    buyer: row.buyer,
    currency: row.currency,
    lines: row.lines,
    totalValue: Number(row.total_value),
    createdAt: row.created_at.toISOString(),
  };
}

export class InvoicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly pipeline: ScreeningPipeline,
    private readonly logger: Logger,
  ) {}

  /**
   * Stores the broker's invoice for its own organisation, audited, and re-screens in the same transaction every
   * declaration of the organisation that cites the number and is still under review: it was screened while the
   * invoice was missing, so its reviewer would otherwise read an `invoice-missing` hit that no longer holds. Cleared
   * or decided declarations are left as they are (their screening is the record the decision was taken on).
   */
  async create(
    actor: Actor,
    input: InvoiceInput,
  ): Promise<{ invoice: ReturnType<typeof invoiceView>; rescreened: string[] }> {
    try {
      return await this.uow.run(async (m) => {
        const row = await insertInvoice(m, actor.organization, actor.keyId, input);
        const rescreened: string[] = [];
        for (const d of await openCitingDeclarations(m, actor.organization, row.number)) {
          const result = await this.pipeline.screen(d.body, d.organization, m);
          await this.pipeline.record(m, SYSTEM_ACTOR, d, result, 'rescreen');
          rescreened.push(d.id);
        }
        await recordAudit(m, auditActor(actor), {
          action: 'invoice.created',
          subjectType: 'invoice',
          subjectId: row.id,
          data: {
            number: row.number,
            organization: row.organization,
            lineCount: row.line_count,
            currency: row.currency,
            totalValue: Number(row.total_value),
            rescreened,
          },
        });
        if (rescreened.length)
          this.logger.info(
            { invoiceId: row.id, rescreened },
            'late invoice: re-screened the open declarations that cite it',
          );
        return { invoice: invoiceView(row), rescreened };
      });
    } catch (err) {
      if (isInvoiceNumberConflict(err))
        throw new ConflictError(
          'invoice_exists',
          `An invoice numbered "${input.number}" already exists for your organisation.`,
        );
      throw err;
    }
  }

  /** Brokers read their own organisation's invoices; the customs authority reads any (it reviews them). */
  async get(actor: Actor, id: string) {
    const row = await readInvoice(
      this.dataSource.manager,
      id,
      seesAllOrganizations(actor) ? undefined : actor.organization,
    );
    if (!row) throw new NotFoundError('Invoice');
    return invoiceView(row);
  }

  async list(actor: Actor, q: { number?: string; organization?: string; limit: number; cursor?: string }) {
    const organization = seesAllOrganizations(actor) ? q.organization : actor.organization;
    const rows = await listInvoices(this.dataSource.manager, {
      organization,
      number: q.number,
      after: decodeCursor(q.cursor),
      limit: q.limit,
    });
    const result = page(rows, q.limit, (r) => [r.created_at, r.id]);
    return {
      items: result.items.map((r) => ({ ...invoiceView(r), lines: undefined, lineCount: r.line_count })),
      nextCursor: result.nextCursor,
    };
  }
}
