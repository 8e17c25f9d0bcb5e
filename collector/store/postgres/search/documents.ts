/**
 * Writing full-text documents (store/search-text.ts says what one holds): one per trace per
 * batch, in the batch's transaction and savepoint, so a refused batch leaves none. A document
 * keeps its words as a tsvector (words.ts) and, when it has text in a script written without
 * spaces, that text in lower case for substring matches (pg_trgm), with its substrings too short
 * for trigrams as lexemes of the tsvector (short-substrings.ts). Documents only accumulate:
 * text a later span replaces stays searchable under its trace, as on SQLite.
 *
 * An observation whose input or output chat messages arriving later change (write/log-join.ts)
 * gets a document of its new text too, as SQLite's observations_search_update trigger gives it.
 *
 * trace_start_ns is the trace row's start when the batch has written it (the caller holds the
 * trace's advisory lock), else the earliest start the batch names for the trace.
 */
import type { PoolClient } from 'pg';
import type { MappedSpan, Observation } from '../../../model.js';
import { addToDocuments, documentText, NO_SPACE_SCRIPT, type DocumentParts } from '../../search-text.js';
import { text as textValue } from '../write/values.js';
import { tsvectorLiteral } from './words.js';
import { shortSubstrings } from './short-substrings.js';

interface PendingDocument extends DocumentParts {
  earliestStartNs: bigint;
}

export async function writeSearchDocuments(
  client: PoolClient,
  projectId: string,
  spans: readonly MappedSpan[],
  observations: ReadonlyArray<Pick<Observation, 'traceId' | 'startTimeUnixNano' | 'name' | 'id' | 'input' | 'output'>>,
): Promise<void> {
  const documents = new Map<string, PendingDocument>();
  addToDocuments(spans, observations, (traceId, startNs) => {
    let document = documents.get(traceId);
    if (document === undefined) documents.set(traceId, (document = { strings: new Set(), observationIds: [], earliestStartNs: startNs }));
    else if (startNs < document.earliestStartNs) document.earliestStartNs = startNs;
    return document;
  });
  if (documents.size === 0) return;
  const traceIds: string[] = [];
  const starts: string[] = [];
  const words: string[] = [];
  const substrings: Array<string | null> = [];
  const trigrams = new Set<string>();
  for (const [traceId, document] of documents) {
    const text = textValue(documentText(document.strings))!;
    traceIds.push(traceId);
    starts.push(document.earliestStartNs.toString());
    if (NO_SPACE_SCRIPT.test(text)) {
      const lowerText = text.toLowerCase();
      const short = shortSubstrings(lowerText);
      words.push(`${tsvectorLiteral(text)} ${short.lexemes.join(' ')}`);
      substrings.push(lowerText);
      for (const trigram of short.trigrams) trigrams.add(trigram);
    } else {
      words.push(tsvectorLiteral(text));
      substrings.push(null);
    }
  }
  await client.query(
    `INSERT INTO search_docs (project_id, trace_id, trace_start_ns, words, substrings)
     SELECT $1, d.trace_id, coalesce(t.start_time_ns, d.start_ns), d.words::tsvector, d.substrings
     FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[]) AS d (trace_id, start_ns, words, substrings)
     LEFT JOIN traces t ON t.project_id = $1 AND t.id = d.trace_id`,
    [projectId, traceIds, starts, words, substrings],
  );
  await addShortTermTrigrams(client, trigrams);
}

/**
 * Adds the trigrams not yet known. Only against committed rows, taking no lock: two writers
 * meeting a new trigram at once may both add it (counted once, DISTINCT), but never wait for
 * each other, as a unique key would make them, in whatever order their batches meet them.
 */
async function addShortTermTrigrams(client: PoolClient, trigrams: ReadonlySet<string>): Promise<void> {
  if (trigrams.size === 0) return;
  await client.query(
    `INSERT INTO search_short_term_trigrams (trigram)
     SELECT k.trigram FROM unnest($1::text[]) AS k (trigram)
     WHERE NOT EXISTS (SELECT 1 FROM search_short_term_trigrams v WHERE v.trigram = k.trigram)`,
    [[...trigrams]],
  );
}
