import { declaration, indexed, submit, uploadList } from '../support/factories';
import { bearer, testPerson, type TestService } from '../support/test-service';

/** A key created through the API, with its id (the identity decisions and claims record); a person of its own unless named. */
export async function keyWithId(
  t: TestService,
  role: string,
  organization = 'customs-authority',
  person = testPerson(role),
): Promise<{ id: string; secret: string; person?: string }> {
  const res = await t.http
    .post('/v1/api-keys')
    .set(...bearer(t.adminKey))
    .send({ name: `${role} ${Math.random().toString(36).slice(2, 8)}`, role, organization, person });
  if (res.status !== 201) throw new Error(`creating a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, secret: res.body.secret, person: res.body.person ?? undefined };
}

/** An entities-csv file (id,name,kind,aliases,countries,programs,identifiers) from rows. */
export function entitiesCsv(
  rows: { id: string; name: string; aliases?: string[]; countries?: string[]; programs?: string[] }[],
): Buffer {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = rows.map((r) =>
    [
      r.id,
      q(r.name),
      'organization',
      q((r.aliases ?? []).join(';')),
      (r.countries ?? ['RU']).join(';'),
      (r.programs ?? ['TEST-WATCH']).join(';'),
      '',
    ].join(','),
  );
  return Buffer.from(['id,name,kind,aliases,countries,programs,identifiers', ...lines].join('\n'));
}

/** Uploads a version of a custom watch list and waits until this process screens with it. */
export async function uploadWatchList(
  t: TestService,
  listId: string,
  rows: Parameters<typeof entitiesCsv>[0],
): Promise<{ id: string }> {
  const v = await uploadList(t.http, t.adminKey, listId, 'entities-csv', { file: entitiesCsv(rows) }, 'entities');
  await indexed(t.service, listId, v.id);
  return v;
}

/** A declaration whose consignee is the given (listed) name: a strong party match, so BLOCK. */
export function withConsignee(name: string, country = 'RU') {
  return declaration({ consignee: { name, country } });
}

/** Controlled goods (CHPL) bound for Russia, no listed party: REVIEW at high priority. */
export function reviewLevelDeclaration() {
  return declaration({
    procedure: 'export',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'RU',
    consignee: { name: 'Vostok Components', country: 'RU' },
    items: [
      {
        lineNo: 1,
        hsCode: '8542.31.000.0',
        description: 'Microcontrollers STM32',
        countryOfOrigin: 'CN',
        value: { amount: 5000, currency: 'USD' },
      },
    ],
  });
}

/** Submits and returns the declaration id, its case id and the submission answer. */
export async function submitForCase(t: TestService, broker: string, body: Record<string, unknown>) {
  const res = await submit(t.http, broker, body);
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { declarationId: res.body.id as string, caseId: res.body.caseId as string | null, answer: res.body };
}

export function claim(t: TestService, key: string) {
  return t.http.post('/v1/cases/claim').set(...bearer(key));
}

export function decide(t: TestService, key: string, caseId: string, body: Record<string, unknown>) {
  return t.http
    .post(`/v1/cases/${caseId}/decision`)
    .set(...bearer(key))
    .send(body);
}

export function approve(t: TestService, key: string, caseId: string, body: Record<string, unknown>) {
  return t.http
    .post(`/v1/cases/${caseId}/approval`)
    .set(...bearer(key))
    .send(body);
}

export async function auditActions(t: TestService, subjectIds: string[]): Promise<string[]> {
  const rows: { action: string }[] = await t.service.db.dataSource.query(
    `SELECT action FROM audit_events WHERE subject_id = ANY($1::text[]) ORDER BY id`,
    [subjectIds],
  );
  return rows.map((r) => r.action);
}
