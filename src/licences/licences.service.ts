import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '../audit/audit.service';
import { auditActor } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import type { DeclarationInput } from '../screening/declaration-input';
import { ConflictError, NotFoundError } from '../http/errors';
import { decodeCursor, page } from '../http/pagination';
import type { Dossier } from '../screening/dossier';
import { licenceKey } from '../screening/licence-check';
import type { LicenceCreate, LicenceQuery } from './licences.schemas';
import {
  citedLicence,
  drawdownsOf,
  insertLicence,
  licencesByNumber,
  limitOf,
  listLicences,
  lockLicence,
  readLicence,
  revokeLicence,
  type LicenceRow,
} from './licences.repository';

const UNIQUE_VIOLATION = '23505';

function isNumberConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  return e.code === UNIQUE_VIOLATION && (e.constraint ?? e.driverError?.constraint) === 'licences_number_unique';
}

export function licenceView(row: LicenceRow) {
  const limit = limitOf(row);
  return {
    id: row.id,
    number: row.number,
    holder: row.holder,
    hsPrefixes: row.hs_prefixes,
    destinationCountries: row.destination_countries,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    limit: !limit
      ? null
      : limit.kind === 'quantity'
        ? { quantity: limit.amount, unit: limit.unit }
        : { value: { amount: limit.amount, currency: limit.currency } },
    notes: row.notes,
    status: row.status,
    balance: !limit
      ? null
      : {
          measure: limit.kind === 'quantity' ? limit.unit : limit.currency,
          limit: limit.amount,
          used: row.used,
          remaining: Math.max(0, limit.amount - row.used),
          overdrawn: row.used > limit.amount + 1e-9,
        },
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokeReason: row.revoke_reason,
  };
}

/**
 * The licence and permit registry (issue 12). It is the authority's: any organisation's declaration may cite a licence
 * by number, so reads are not scoped to an organisation, and only admins and supervisors write it.
 */
export class LicencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  async create(actor: Actor, input: LicenceCreate) {
    try {
      return await this.uow.run(async (m) => {
        const limit =
          input.limit === undefined
            ? null
            : 'quantity' in input.limit
              ? { kind: 'quantity', amount: input.limit.quantity, unit: input.limit.unit }
              : { kind: 'value', amount: input.limit.value.amount, unit: input.limit.value.currency };
        const id = await insertLicence(m, {
          number: input.number,
          holder: input.holder,
          hsPrefixes: [...new Set(input.hsPrefixes)],
          destinationCountries: [...new Set(input.destinationCountries)],
          validFrom: input.validFrom,
          validTo: input.validTo,
          limitKind: limit?.kind ?? null,
          limitAmount: limit?.amount ?? null,
          limitUnit: limit?.unit ?? null,
          notes: input.notes ?? null,
          createdBy: actor.keyId,
        });
        await recordAudit(m, auditActor(actor), {
          action: 'licence.created',
          subjectType: 'licence',
          subjectId: id,
          data: {
            number: input.number,
            holder: input.holder,
            hsPrefixes: input.hsPrefixes,
            destinationCountries: input.destinationCountries,
            validFrom: input.validFrom,
            validTo: input.validTo,
            limit: input.limit ?? null,
          },
        });
        return this.detail(m, id);
      });
    } catch (err) {
      if (isNumberConflict(err))
        throw new ConflictError('licence_exists', `A licence numbered "${input.number}" is already in the registry.`);
      throw err;
    }
  }

  async list(q: LicenceQuery) {
    const rows = await listLicences(this.dataSource.manager, q, decodeCursor(q.cursor));
    const result = page(rows, q.limit, (r) => [r.created_at, r.id]);
    return { items: result.items.map(licenceView), nextCursor: result.nextCursor };
  }

  async get(id: string) {
    return this.detail(this.dataSource.manager, id);
  }

  /** Revokes a licence: later screenings citing it raise licence-revoked. Revoking twice changes nothing. */
  async revoke(actor: Actor, id: string, reason: string) {
    return this.uow.run(async (m) => {
      const row = await lockLicence(m, id);
      if (!row) throw new NotFoundError('Licence');
      if (!row.revoked_at) {
        await revokeLicence(m, id, actor.keyId, reason);
        await recordAudit(m, auditActor(actor), {
          action: 'licence.revoked',
          subjectType: 'licence',
          subjectId: id,
          data: { number: row.number, reason },
        });
      }
      return this.detail(m, id);
    });
  }

  private async detail(m: EntityManager, id: string) {
    const row = await readLicence(m, id);
    if (!row) throw new NotFoundError('Licence');
    const drawdowns = await drawdownsOf(m, id);
    return {
      ...licenceView(row),
      drawdowns: drawdowns.map((d) => ({
        declarationId: d.declaration_id,
        lineNo: d.line_no,
        quantity: d.quantity,
        unit: d.unit,
        value: { amount: d.value_amount, currency: d.value_currency },
        amount: d.amount,
        exceeded: d.exceeded,
        trigger: d.trigger,
        createdAt: d.created_at.toISOString(),
      })),
    };
  }
}

/** The dossier part this feature owns: the cited licences, read in one query, whichever organisation cites them. */
export async function loadCitedLicences(
  m: EntityManager,
  organization: string,
  d: DeclarationInput,
): Promise<Partial<Dossier>> {
  const numbers = d.items.flatMap((i) => (i.licenceNumber ? [i.licenceNumber] : []));
  if (numbers.length === 0) return { licences: new Map() };
  const rows = await licencesByNumber(m, numbers, { exceptDeclaration: { organization, reference: d.reference } });
  return { licences: new Map(rows.map((r) => [licenceKey(r.number), citedLicence(r)])) };
}
