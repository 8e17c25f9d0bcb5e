/** What every REST route is given: the store, the price catalog, and how to tell a request's project. */
import type { FastifyRequest } from 'fastify';
import type { QueryStore, TraceStore } from '../store/contract.js';
import type { PriceCatalog } from '../pricing/price-catalog.js';
import type { Masker } from '../masking/masker.js';
import type { Pipeline } from '../pipeline.js';
import type { Admission } from '../receiver/admission.js';

export interface QueryApiOptions {
  /** The query API's reads and writes, and repricing's steps (POST /api/public/models/reprice). */
  store: QueryStore & Pick<TraceStore, 'repriceObservations'>;
  prices: PriceCatalog;
  projectOf: (request: FastifyRequest) => string;
  /** Masks scores before they are stored (SPANLITE_MASK); none: stored as sent. */
  masker?: Masker;
  /** Where Langfuse's ingestion events go once mapped (routes/ingestion.ts). */
  pipeline: Pick<Pipeline, 'ingestMapped'>;
  /** Largest value in an ingestion event before truncation (SPANLITE_MAX_ATTRIBUTE_BYTES); default 1 MiB. */
  maxAttributeBytes?: number;
  /** Load shedding for Langfuse ingestion, the OTLP receivers' (shared); none: every request is admitted. */
  admission?: Admission;
}
