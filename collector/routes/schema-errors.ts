/**
 * Fastify's schema validation errors (Ajv) as the project's messages: the parameter, what it
 * expects, what it got, e.g. `limit: expected an integer 1-1000 (got "abc")`. The expectation is
 * read from the failing schema itself, and the value from the request as sent (the query string
 * before coercion), so the message shows exactly what the client wrote.
 */
import type { FastifyRequest } from 'fastify';
import { SpanliteError } from '../errors.js';
import { QueryRejectedError } from '../store/contract.js';

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

type Schema = Record<string, unknown>;
type Part = 'querystring' | 'body' | 'params' | 'headers';

/** The error as a SpanliteError when it is a validation or query error; otherwise undefined. */
export function toApiError(error: unknown, request: FastifyRequest): SpanliteError | undefined {
  if (error instanceof QueryRejectedError) {
    const parameter = error.field === 'searchTerms' ? 'q' : 'cursor';
    return new SpanliteError('invalidParameter', `${parameter}: ${error.message}`, { cause: error });
  }
  const validation = (error as { validation?: AjvError[] }).validation;
  const part = (error as { validationContext?: Part }).validationContext;
  const first = validation?.[0];
  if (first === undefined || part === undefined) return undefined;
  return new SpanliteError('invalidParameter', describeFailure(first, part, request), { cause: error });
}

function describeFailure(failure: AjvError, part: Part, request: FastifyRequest): string {
  const path = pointerSegments(failure.instancePath);
  if (failure.keyword === 'required') path.push(String(failure.params.missingProperty));
  if (failure.keyword === 'additionalProperties') {
    const field = [...path, String(failure.params.additionalProperty)];
    return `${fieldName(field)}: unknown field`;
  }
  const schemas = (request.routeOptions.schema ?? {}) as Record<string, Schema | undefined>;
  const schema = schemaAt(schemas[part], path);
  if (part === 'querystring') {
    const name = path[0] ?? '';
    const sent = new URLSearchParams(request.raw.url?.split('?')[1] ?? '').getAll(name);
    const expected = sent.length > 1 && schema?.type !== 'array' ? 'a single value' : expectation(schema);
    return `${name}: expected ${expected} (got ${describeSent(sent)})`;
  }
  const root = part === 'body' ? request.body : part === 'params' ? request.params : request.headers;
  // The whole body (not an object, say) is named as such.
  return `${fieldName(path) || part}: expected ${expectation(schema)} (got ${describeValue(valueAt(root, path))})`;
}

/**
 * The message for the first error of a validator compiled from `schema` (see Fastify's
 * request.compileValidationSchema) that failed on `value`, e.g. one event of a batch.
 */
export function validationMessage(errors: readonly AjvError[] | null | undefined, schema: Schema, value: unknown): string {
  const failure = errors?.[0];
  if (failure === undefined) return 'invalid value';
  const path = pointerSegments(failure.instancePath);
  if (failure.keyword === 'required') path.push(String(failure.params.missingProperty));
  return `${fieldName(path)}: expected ${expectation(schemaAt(schema, path))} (got ${describeValue(valueAt(value, path))})`;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `pricingTiers[0].prices.input` */
function fieldName(path: readonly string[]): string {
  return path.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');
}

function schemaAt(schema: Schema | undefined, path: readonly string[]): Schema | undefined {
  let current = schema;
  for (const segment of path) {
    if (current === undefined) return undefined;
    if (/^\d+$/.test(segment) && current.items !== undefined) {
      current = current.items as Schema;
      continue;
    }
    const properties = current.properties as Record<string, Schema> | undefined;
    const additional = current.additionalProperties;
    current = properties?.[segment] ?? (typeof additional === 'object' ? (additional as Schema) : undefined);
  }
  return current;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** What a schema accepts, in words. */
export function expectation(schema: Schema | undefined): string {
  if (schema === undefined) return 'a valid value';
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.filter((value) => value !== null).join(', ')}`;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type) => type !== 'null');
  if (types.length > 1) return types.map((type) => article(String(type))).join(' or ');
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  switch (types[0]) {
    case 'integer':
    case 'number': {
      const kind = types[0] === 'integer' ? 'an integer' : 'a number';
      if (min !== undefined && max !== undefined) return `${kind} ${min}-${max}`;
      if (min !== undefined) return min === 0 ? `a non-negative ${types[0]}` : `${kind} >= ${min}`;
      if (max !== undefined) return `${kind} <= ${max}`;
      return kind;
    }
    case 'string': {
      if (schema.format === 'date-time') return 'an ISO 8601 date-time (e.g. 2025-01-31T00:00:00Z)';
      const maxLength = schema.maxLength as number | undefined;
      const minLength = (schema.minLength as number | undefined) ?? 0;
      if (maxLength !== undefined) return minLength > 0 ? `a string of 1-${maxLength} characters` : `a string of at most ${maxLength} characters`;
      return minLength > 0 ? 'a non-empty string' : 'a string';
    }
    case 'array':
      return `a list of ${plural(expectation(schema.items as Schema | undefined))}`;
    case 'object':
      return 'an object';
    case 'boolean':
      return 'true or false';
    default:
      return 'a valid value';
  }
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function plural(expected: string): string {
  return expected.replace(/^an? (\w+)/, '$1s');
}

function describeSent(values: readonly string[]): string {
  if (values.length === 0) return 'nothing';
  return values.length === 1 ? truncate(JSON.stringify(values[0])) : truncate(JSON.stringify(values));
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : truncate(JSON.stringify(value));
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
