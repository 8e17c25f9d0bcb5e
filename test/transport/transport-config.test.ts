/** SPANLITE_GRPC_PORT and SPANLITE_CORS_ORIGINS: defaults, accepted forms, and every problem listed. */
import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../../config/collector-config.js';
import { configProblems } from '../helpers/config-problems.js';

describe('SPANLITE_GRPC_PORT', () => {
  it('defaults to the OTLP/gRPC port 4317', () => {
    expect(loadCollectorConfig({}).grpcPort).toBe(4317);
  });

  it.each([
    ['0', 0],
    ['14317', 14317],
    ['off', null],
    ['OFF', null],
    ['-1', null],
  ])('reads %j as %j', (raw, expected) => {
    expect(loadCollectorConfig({ SPANLITE_GRPC_PORT: raw }).grpcPort).toBe(expected);
  });

  it('refuses a port it cannot use, and the HTTP port, naming what it got', () => {
    expect(configProblems({ SPANLITE_GRPC_PORT: 'grpc' })).toEqual([
      'SPANLITE_GRPC_PORT: expected an integer 0-65535, or off / -1 to disable (got "grpc")',
    ]);
    expect(configProblems({ SPANLITE_GRPC_PORT: '70000' })).toHaveLength(1);
    expect(configProblems({ SPANLITE_PORT: '5000', SPANLITE_GRPC_PORT: '5000' })).toEqual([
      'SPANLITE_GRPC_PORT: must differ from SPANLITE_PORT (both 5000)',
    ]);
  });
});

describe('SPANLITE_CORS_ORIGINS', () => {
  it('defaults to no origins: no CORS headers', () => {
    expect(loadCollectorConfig({}).corsOrigins).toEqual([]);
  });

  it('reads a comma list of origins, trimmed and without a trailing slash, or *', () => {
    expect(
      loadCollectorConfig({ SPANLITE_CORS_ORIGINS: ' https://app.example.com/ , http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadCollectorConfig({ SPANLITE_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('lists every bad origin at once, with the other problems', () => {
    expect(
      configProblems({
        SPANLITE_CORS_ORIGINS: 'ftp://files.example.com,https://app.example.com/path',
        SPANLITE_GRPC_PORT: 'x',
      }),
    ).toEqual([
      'SPANLITE_GRPC_PORT: expected an integer 0-65535, or off / -1 to disable (got "x")',
      'SPANLITE_CORS_ORIGINS: expected origins like https://app.example.com or * (got "ftp://files.example.com")',
      'SPANLITE_CORS_ORIGINS: expected origins like https://app.example.com or * (got "https://app.example.com/path")',
    ]);
    expect(configProblems({ SPANLITE_CORS_ORIGINS: '*,https://app.example.com' })).toEqual([
      'SPANLITE_CORS_ORIGINS: "*" allows every origin and cannot be combined with others (got "*,https://app.example.com")',
    ]);
  });
});
