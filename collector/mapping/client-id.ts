/**
 * Ids a client chose (Langfuse SDKs' UUIDs, score ids) as stored. Hex and UUID ids are
 * case-insensitive, so they are stored lowercase as OTLP's hex ids are, and the REST API
 * (which lowercases the ids it is asked for) finds them; any other id is kept as sent.
 */
const HEX_OR_UUID = /^[0-9a-f]+(-[0-9a-f]+)*$/i;

export function normaliseClientId(id: string): string {
  return HEX_OR_UUID.test(id) ? id.toLowerCase() : id;
}
