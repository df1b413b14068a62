/**
 * The API answers what its OpenAPI document says. Every route in the document is called with a valid request, and
 * every JSON answer (errors too, against Problem) is validated with ajv against the document's schema for its status,
 * with objects closed (additionalProperties: false where the schema leaves it open): a field an answer carries that
 * its schema does not list fails here. A route added without a call here fails the coverage check.
 *
 * The document is OpenAPI 3.1 (OpenApiGeneratorV31 of @asteasolutions/zod-to-openapi): its schemas are JSON Schema
 * 2020-12, so the 2020 dialect of ajv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response, Test } from 'supertest';
import { declaration, submit } from '../support/factories';
import { PNG } from '../support/documents';
import { FileServer } from '../support/file-server';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { entitiesCsv, keyWithId, reviewLevelDeclaration, withConsignee } from '../cases/helpers';
import { invoiceBody } from '../invoices/helpers';
import { licenceBody } from '../licences/support';

type Json = Record<string, unknown>;
type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>;
  components: { schemas: Record<string, Json> };
};

const UK_XML = readFileSync(join(__dirname, '..', 'fixtures', 'lists', 'uk-sanctions-sample.xml'));
const LISTED = 'Northwind Dual Trade LLC';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * One object schema for an allOf, later members overriding earlier ones. zod-to-openapi writes `.extend()` of a named
 * schema as allOf [the named schema, the added or replaced properties]; a replaced property (hits: InternalHit[] over
 * hits: Hit[]) is what zod means, and what closed objects need: allOf would demand both.
 */
function mergeAllOf(members: Json[], components: Record<string, Json>): Json {
  const merged: Json = { type: 'object', properties: {}, required: [] };
  for (const member of members) {
    const m = typeof member.$ref === 'string' ? components[member.$ref.replace('#/components/schemas/', '')] : member;
    const flat = Array.isArray(m.allOf) ? mergeAllOf(m.allOf as Json[], components) : m;
    const { properties, required, allOf: _allOf, ...rest } = flat;
    Object.assign(merged, rest);
    Object.assign(merged.properties as Json, properties ?? {});
    merged.required = [...new Set([...(merged.required as string[]), ...((required as string[] | undefined) ?? [])])];
  }
  return merged;
}

/** A copy of a schema with its objects closed (additionalProperties: false where the schema leaves it unset). */
function close(node: unknown, components: Record<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((n) => close(n, components));
  if (!node || typeof node !== 'object') return node;
  let s = node as Json;
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    s = { ...mergeAllOf(allOf as Json[], components), ...rest };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/components/schemas/', 'closed.json#/$defs/');
    else if (k === 'properties' && v && typeof v === 'object')
      out[k] = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, close(ps, components)]));
    else if (['enum', 'const', 'required', 'example', 'examples', 'default'].includes(k)) out[k] = v;
    else out[k] = close(v, components);
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (!('$ref' in s) && (types.includes('object') || 'properties' in s) && !('additionalProperties' in s))
    out.additionalProperties = false;
  return out;
}

describe('API contract: every route answers what the OpenAPI document says', () => {
  let t: TestService;
  let server: FileServer;
  let doc: Doc;
  let ajv: Ajv2020;
  const validators = new Map<string, ValidateFunction>();
  const covered = new Set<string>();
  const failures: string[] = [];

  /** Sends the request, validates the answer against the document, and counts the route covered when it succeeded. */
  async function call(op: string, request: Test, expected?: number): Promise<Response> {
    const res = await request;
    const [method, path] = op.split(' ');
    const operation = doc.paths[path]?.[method];
    if (!operation) throw new Error(`${op} is not in the OpenAPI document`);
    if (expected !== undefined && res.status !== expected)
      throw new Error(`${op}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
    if (res.status < 400) covered.add(op);
    const response = operation.responses[String(res.status)] ?? operation.responses.default;
    if (!response) {
      failures.push(`${op} ${res.status}: no response declared`);
      return res;
    }
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    if (type === 'application/json' || type === 'application/problem+json') {
      const media =
        response.content?.[type] ??
        (type === 'application/problem+json' ? operation.responses.default?.content?.[type] : undefined);
      if (!media) {
        failures.push(
          `${op} ${res.status}: answered ${type}, the document declares ${Object.keys(response.content ?? {}).join(', ') || 'no body'}`,
        );
        return res;
      }
      const key = `${op} ${res.status} ${type}`;
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile(close(media.schema, doc.components.schemas) as Json);
        validators.set(key, validate);
      }
      if (!validate(res.body)) {
        const unlisted = (validate.errors ?? []).map(
          (e) =>
            `${e.instancePath || '/'} ${e.message}${e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}${e.params.unevaluatedProperty ? ` (${e.params.unevaluatedProperty})` : ''}`,
        );
        failures.push(`${op} ${res.status}: ${[...new Set(unlisted)].join('; ')}`);
      }
    }
    return res;
  }

  beforeAll(async () => {
    server = new FileServer();
    await server.start();
    t = await startTestService({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    doc = (await t.http.get('/openapi.json').expect(200)).body as Doc;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const schemas = doc.components.schemas;
    ajv.addSchema({
      $id: 'closed.json',
      $defs: Object.fromEntries(Object.entries(schemas).map(([n, s]) => [n, close(s, schemas)])),
    });
  }, 60000);
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('answers every route with a body its schema describes, no field unlisted', async () => {
    const admin = t.adminKey;
    const broker = await t.key('broker', 'acme-brokers');
    const reviewer = (await keyWithId(t, 'reviewer')).secret;
    const supervisor = (await keyWithId(t, 'supervisor')).secret;
    const auditor = await t.key('auditor', 'customs-authority');
    const as = (key: string) => bearer(key);

    // API keys
    await call('get /v1/me', t.http.get('/v1/me').set(...as(broker)), 200);
    const made = await call(
      'post /v1/api-keys',
      t.http
        .post('/v1/api-keys')
        .set(...as(admin))
        .send({ name: 'contract', role: 'broker', organization: 'acme-brokers' }),
      201,
    );
    await call('get /v1/api-keys', t.http.get('/v1/api-keys').set(...as(admin)), 200);
    await call('delete /v1/api-keys/{id}', t.http.delete(`/v1/api-keys/${made.body.id}`).set(...as(admin)), 200);

    // Lists: two versions of a watch list, then a rollback to the first
    const upload = async (rows: Parameters<typeof entitiesCsv>[0]) => {
      const res = await call(
        'post /v1/lists/{listId}/versions',
        t.http
          .post('/v1/lists/watch/versions')
          .set(...as(admin))
          .field('format', 'entities-csv')
          .field('kind', 'entities')
          .attach('file', entitiesCsv(rows), 'list.csv'),
        202,
      );
      return eventually(async () => {
        const v = await call(
          'get /v1/lists/{listId}/versions/{versionId}',
          t.http.get(`/v1/lists/watch/versions/${res.body.versionId}`).set(...as(admin)),
          200,
        );
        if (v.body.status === 'failed') throw new Error(`import failed: ${v.body.error}`);
        return v.body.status === 'active' ? (v.body as { id: string }) : undefined;
      }, 60000);
    };
    const v1 = await upload([{ id: 'N-1', name: LISTED, countries: ['RU'] }]);
    const v2 = await upload([
      { id: 'N-1', name: LISTED, countries: ['RU'] },
      { id: 'N-2', name: 'Southwind Parts LLC', countries: ['RU'] },
    ]);
    await call('get /v1/lists', t.http.get('/v1/lists').set(...as(auditor)), 200);
    await call('get /v1/lists/{listId}/versions', t.http.get('/v1/lists/watch/versions').set(...as(auditor)), 200);
    await call(
      'get /v1/lists/{listId}/versions/{versionId}/diff',
      t.http.get(`/v1/lists/watch/versions/${v2.id}/diff`).set(...as(auditor)),
      200,
    );
    await call(
      'post /v1/lists/{listId}/versions/{versionId}/activate',
      t.http.post(`/v1/lists/watch/versions/${v1.id}/activate`).set(...as(admin)),
      200,
    );
    await eventually(async () => t.service.lists.index.versions().watch === v1.id, 20000);

    // Screening
    await call('get /v1/goods/{code}', t.http.get('/v1/goods/8542.31').set(...as(broker)), 200);
    await call(
      'post /v1/screen/parties',
      t.http
        .post('/v1/screen/parties')
        .set(...as(reviewer))
        .send({ parties: [{ name: LISTED, country: 'RU' }] }),
      200,
    );

    // Webhooks
    const hook = await call(
      'post /v1/webhooks',
      t.http
        .post('/v1/webhooks')
        .set(...as(broker))
        .send({ url: 'http://127.0.0.1:9/hook', events: ['case.decided'] }),
      201,
    );
    await call('get /v1/webhooks', t.http.get('/v1/webhooks').set(...as(broker)), 200);
    await call(
      'get /v1/webhooks/{id}/deliveries',
      t.http.get(`/v1/webhooks/${hook.body.id}/deliveries`).set(...as(broker)),
      200,
    );

    // Declarations, batches, documents
    const submitted = await call('post /v1/declarations', submit(t.http, broker, declaration()), 201);
    const declarationId = submitted.body.id as string;
    await call('get /v1/declarations', t.http.get('/v1/declarations').set(...as(broker)), 200);
    await call('get /v1/declarations', t.http.get('/v1/declarations').set(...as(reviewer)), 200);
    await call('get /v1/declarations/{id}', t.http.get(`/v1/declarations/${declarationId}`).set(...as(broker)), 200);
    await call('get /v1/declarations/{id}', t.http.get(`/v1/declarations/${declarationId}`).set(...as(reviewer)), 200);
    const batch = await call(
      'post /v1/declarations/batch',
      t.http
        .post('/v1/declarations/batch')
        .set(...as(broker))
        .send({ declarations: [declaration(), { reference: 'bad' }] }),
      202,
    );
    await eventually(async () => {
      const b = await call(
        'get /v1/batches/{id}',
        t.http.get(`/v1/batches/${batch.body.batchId}`).set(...as(broker)),
        200,
      );
      return b.body.status === 'completed' || b.body.status === 'failed';
    }, 30000);
    const docUp = await call(
      'post /v1/declarations/{id}/documents',
      t.http
        .post(`/v1/declarations/${declarationId}/documents`)
        .set(...as(broker))
        .attach('file', PNG, { filename: 'scan.png', contentType: 'image/png' }),
      201,
    );
    await call(
      'post /v1/declarations/{id}/documents',
      t.http
        .post(`/v1/declarations/${declarationId}/documents`)
        .set(...as(reviewer))
        .attach('file', PNG, { filename: 'scan2.png', contentType: 'image/png' }),
      201,
    );
    await call(
      'get /v1/declarations/{id}/documents',
      t.http.get(`/v1/declarations/${declarationId}/documents`).set(...as(broker)),
      200,
    );
    await call(
      'get /v1/declarations/{id}/documents',
      t.http.get(`/v1/declarations/${declarationId}/documents`).set(...as(reviewer)),
      200,
    );
    await call(
      'get /v1/declarations/{id}/documents/{documentId}',
      t.http.get(`/v1/declarations/${declarationId}/documents/${docUp.body.id}`).set(...as(reviewer)),
      200,
    );

    // Review: a listed consignee (BLOCK), released as a false positive with a supervisor's approval
    const blocked = await call('post /v1/declarations', submit(t.http, broker, withConsignee(LISTED)), 201);
    const caseId = blocked.body.caseId as string;
    await call('get /v1/cases', t.http.get('/v1/cases').set(...as(reviewer)), 200);
    const claimed = await call('post /v1/cases/claim', t.http.post('/v1/cases/claim').set(...as(reviewer)), 200);
    expect(claimed.body.id).toBe(caseId);
    await call('get /v1/cases/{id}', t.http.get(`/v1/cases/${caseId}`).set(...as(reviewer)), 200);
    await call(
      'post /v1/cases/{id}/notes',
      t.http
        .post(`/v1/cases/${caseId}/notes`)
        .set(...as(reviewer))
        .send({ text: 'Checked the registry' }),
      201,
    );
    await call('post /v1/cases/{id}/unclaim', t.http.post(`/v1/cases/${caseId}/unclaim`).set(...as(reviewer)), 200);
    await call('post /v1/cases/claim', t.http.post('/v1/cases/claim').set(...as(reviewer)), 200);
    const partyHit = (blocked.body.screening.hits as { id: string; kind: string }[]).find((h) => h.kind === 'party')!;
    await call(
      'post /v1/cases/{id}/decision',
      t.http
        .post(`/v1/cases/${caseId}/decision`)
        .set(...as(reviewer))
        .send({
          action: 'release',
          reason: 'Our consignee is registered in Almaty',
          falsePositiveHitIds: [partyHit.id],
        }),
      200,
    );
    await call(
      'post /v1/cases/{id}/approval',
      t.http
        .post(`/v1/cases/${caseId}/approval`)
        .set(...as(supervisor))
        .send({ approve: true, reason: 'Checked' }),
      200,
    );
    await call('get /v1/cases/{id}', t.http.get(`/v1/cases/${caseId}`).set(...as(auditor)), 200);
    const marks = await call('get /v1/allow-list', t.http.get('/v1/allow-list').set(...as(auditor)), 200);
    await call(
      'delete /v1/allow-list/{id}',
      t.http.delete(`/v1/allow-list/${marks.body.items[0].id}`).set(...as(admin)),
      200,
    );

    // A request for information, answered by the broker
    const asked = await call('post /v1/declarations', submit(t.http, broker, reviewLevelDeclaration()), 201);
    const askedCase = await call('post /v1/cases/claim', t.http.post('/v1/cases/claim').set(...as(reviewer)), 200);
    expect(askedCase.body.declarationId).toBe(asked.body.id);
    await call(
      'post /v1/cases/{id}/decision',
      t.http
        .post(`/v1/cases/${askedCase.body.id}/decision`)
        .set(...as(reviewer))
        .send({ action: 'request_info', reason: 'End use unclear', message: 'Send the end-user certificate.' }),
      200,
    );
    await call(
      'post /v1/declarations/{id}/responses',
      t.http
        .post(`/v1/declarations/${asked.body.id}/responses`)
        .set(...as(broker))
        .send({ message: 'Attached.' }),
      201,
    );
    await call('get /v1/declarations/{id}', t.http.get(`/v1/declarations/${asked.body.id}`).set(...as(broker)), 200);
    await call('get /v1/declarations/{id}', t.http.get(`/v1/declarations/${asked.body.id}`).set(...as(reviewer)), 200);

    // Licences and invoices
    const licence = await call(
      'post /v1/licences',
      t.http
        .post('/v1/licences')
        .set(...as(supervisor))
        .send(licenceBody()),
      201,
    );
    await call('get /v1/licences', t.http.get('/v1/licences').set(...as(auditor)), 200);
    await call('get /v1/licences/{id}', t.http.get(`/v1/licences/${licence.body.id}`).set(...as(auditor)), 200);
    await call(
      'post /v1/licences/{id}/revoke',
      t.http
        .post(`/v1/licences/${licence.body.id}/revoke`)
        .set(...as(supervisor))
        .send({ reason: 'Contract cancelled' }),
      200,
    );
    const invoice = await call(
      'post /v1/invoices',
      t.http
        .post('/v1/invoices')
        .set(...as(broker))
        .send(invoiceBody()),
      201,
    );
    await call('get /v1/invoices', t.http.get('/v1/invoices').set(...as(broker)), 200);
    await call('get /v1/invoices/{id}', t.http.get(`/v1/invoices/${invoice.body.id}`).set(...as(broker)), 200);

    // List sources
    const url = server.serve('/contract/uk.xml', { body: UK_XML });
    await call(
      'put /v1/lists/{listId}/source',
      t.http
        .put('/v1/lists/uk-contract/source')
        .set(...as(admin))
        .send({ format: 'uk-sanctions-xml', url, enabled: false }),
      200,
    );
    await call('get /v1/lists/{listId}/source', t.http.get('/v1/lists/uk-contract/source').set(...as(auditor)), 200);
    await call(
      'post /v1/lists/{listId}/source/refresh',
      t.http.post('/v1/lists/uk-contract/source/refresh').set(...as(admin)),
      202,
    );
    await call('get /v1/list-sources', t.http.get('/v1/list-sources').set(...as(auditor)), 200);

    // Insight
    for (const path of [
      '/v1/stats/outcomes',
      '/v1/stats/hits',
      '/v1/stats/cases',
      '/v1/stats/reexport',
      '/v1/stats/lists',
    ]) {
      await call(
        `get ${path}`,
        t.http
          .get(path)
          .set(...as(auditor))
          .set('Accept', 'application/json'),
        200,
      );
    }

    // Audit
    await call('get /v1/audit/verify', t.http.get('/v1/audit/verify').set(...as(auditor)), 200);
    await call('get /v1/audit/checkpoints', t.http.get('/v1/audit/checkpoints').set(...as(auditor)), 200);
    await call(
      'get /v1/audit/events',
      t.http
        .get('/v1/audit/events')
        .set(...as(auditor))
        .set('Accept', 'application/x-ndjson'),
      200,
    );

    await call('delete /v1/webhooks/{id}', t.http.delete(`/v1/webhooks/${hook.body.id}`).set(...as(broker)), 204);

    // Errors answer with Problem
    await call(
      'get /v1/declarations/{id}',
      t.http.get('/v1/declarations/00000000-0000-4000-8000-000000000000').set(...as(broker)),
      404,
    );
    await call(
      'post /v1/declarations',
      t.http
        .post('/v1/declarations')
        .set(...as(broker))
        .send(declaration()),
      400,
    );
    await call('post /v1/declarations', submit(t.http, broker, { reference: 'x' }), 400);
    await call('get /v1/cases', t.http.get('/v1/cases').set(...as(broker)), 403);

    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m} ${path}`),
    );
    expect(operations.length).toBeGreaterThanOrEqual(53);
    const submitSpec = doc.paths['/v1/declarations'].post as unknown as {
      parameters: { in: string; name: string; required: boolean }[];
    };
    expect(submitSpec.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: true }),
    );
    expect(operations.filter((op) => !covered.has(op))).toEqual([]);
    expect(failures).toEqual([]);
  }, 300000);
});
