/**
 * Which PostgreSQL write failures a client should retry (store/postgres/write/errors.ts): the
 * database's state passes, the data's does not.
 */
import { describe, expect, it } from 'vitest';
import { isTransientPostgresError } from '../../collector/store/postgres/write/errors.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('PostgreSQL write failures', () => {
  it.each([
    ['a lost connection (node-postgres)', new Error('Connection terminated unexpectedly')],
    ['a reset socket', withCode('ECONNRESET')],
    ['a refused connection', withCode('ECONNREFUSED')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['a new connection not made within the connect timeout', new Error('Connection terminated due to connection timeout')],
    ['no answer within the query timeout (node-postgres)', new Error('Query read timeout')],
    ['query_canceled (statement_timeout)', withCode('57014')],
    ['admin_shutdown', withCode('57P01')],
    ['connection_failure', withCode('08006')],
    ['deadlock_detected', withCode('40P01')],
    ['serialization_failure', withCode('40001')],
    ['disk_full', withCode('53100')],
    ['lock_not_available', withCode('55P03')],
    ['read_only_sql_transaction (a standby)', withCode('25006')],
  ])('retries %s', (_, error) => {
    expect(isTransientPostgresError(error)).toBe(true);
  });

  it.each([
    ['numeric_value_out_of_range', withCode('22003')],
    ['untranslatable_character', withCode('22P05')],
    ['unique_violation', withCode('23505')],
    ['undefined_table', withCode('42P01')],
    ['an error of the writer itself', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('does not retry %s', (_, error) => {
    expect(isTransientPostgresError(error)).toBe(false);
  });
});
