/** GET /api/public/openapi.json: generated from the route schemas, so it lists what the API checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';

let collector: TestCollector;
let document: any;

beforeAll(async () => {
  collector = await startTestCollector();
  document = await collector.getJson('/api/public/openapi.json');
});
afterAll(async () => {
  await collector.close();
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every query route with its methods', () => {
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/public/traces',
        'GET /api/public/traces/{traceId}',
        'DELETE /api/public/traces/{traceId}',
        'GET /api/public/observations',
        'GET /api/public/observations/{observationId}',
        'GET /api/public/sessions',
        'GET /api/public/sessions/{sessionId}',
        'GET /api/public/users',
        'GET /api/public/users/{userId}',
        'GET /api/public/scores',
        'GET /api/public/scores/{scoreId}',
        'GET /api/public/v2/scores',
        'GET /api/public/v2/scores/{scoreId}',
        'POST /api/public/scores',
        'DELETE /api/public/scores/{scoreId}',
        'POST /api/public/ingestion',
        'GET /api/public/metrics/daily',
        'GET /api/public/models',
        'GET /api/public/models/{id}',
        'POST /api/public/models',
        'DELETE /api/public/models/{id}',
        'POST /api/public/models/reprice',
      ].sort(),
    );
  });

  it('documents the trace list parameters as the route validates them', () => {
    const list = document.paths['/api/public/traces'].get;
    const parameter = (name: string) => list.parameters.find((p: any) => p.name === name);
    expect(parameter('limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } });
    expect(parameter('score')).toMatchObject({ schema: { type: 'array' }, style: 'form', explode: true });
    expect(parameter('level').schema.enum).toEqual(['ERROR', 'WARNING']);
    expect(parameter('q').description).toContain('full-text');
    const names = list.parameters.map((p: any) => p.name);
    for (const name of ['cursor', 'userId', 'sessionId', 'name', 'tags', 'environment', 'release', 'version', 'fromTimestamp', 'toTimestamp', 'orderBy', 'minLatencyMs', 'maxLatencyMs', 'minCost', 'maxCost', 'metadata', 'model']) {
      expect(names).toContain(name);
    }
  });

  it('documents responses from the same schemas that serialise them', () => {
    const get = document.paths['/api/public/traces/{traceId}'].get;
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'traceId', in: 'path', required: true })]);
    const trace = get.responses['200'].content['application/json'].schema;
    expect(trace.properties.observations.items.properties).toHaveProperty('usageDetails');
    expect(get.responses['404'].content['application/json'].schema.properties).toHaveProperty('message');
    const listed = document.paths['/api/public/traces'].get.responses['200'].content['application/json'].schema.properties.data.items;
    expect(listed.properties.level.enum).toEqual(['DEFAULT', 'WARNING', 'ERROR']);
    expect(Object.keys(listed.properties.scoreValues.items.properties)).toEqual(
      expect.arrayContaining(['id', 'name', 'value', 'stringValue', 'dataType']),
    );
    const create = document.paths['/api/public/scores'].post;
    expect(create.requestBody.content['application/json'].schema.properties.dataType.enum).toEqual(['NUMERIC', 'CATEGORICAL', 'BOOLEAN']);
  });

  it('matches what the API sends: a listed trace has exactly the documented fields', async () => {
    await sendTraces(collector.tracesEndpoint, [{ name: 'documented', startMs: Date.UTC(2025, 0, 1), userId: 'u' }]);
    const page = await collector.getJson('/api/public/traces');
    const schema = document.paths['/api/public/traces'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(page.meta).sort()).toEqual(Object.keys(schema.properties.meta.properties).sort());
    expect(Object.keys(page.data[0]).sort()).toEqual(Object.keys(schema.properties.data.items.properties).sort());
  });
});
