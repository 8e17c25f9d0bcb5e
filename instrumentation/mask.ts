/**
 * Masking: a user function that redacts attribute values before a span leaves the process.
 */
import { diag, type AttributeValue, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * Called for every attribute of a finished span and of its events (input, output, metadata,
 * messages, anything): return the value to keep it, another value to replace it, `undefined`
 * to drop the attribute. `key` lets it pick what to redact; inputs and outputs are JSON text
 * under `spanlite.observation.input` / `.output`. A mask that throws replaces the value with
 * {@link MASK_FAILED} (failing closed, never leaking what it was meant to hide).
 */
export type MaskFunction = (field: { key: string; value: AttributeValue }) => AttributeValue | undefined;

export const MASK_FAILED = '[spanlite: mask failed]';

let warnedMaskFailure = false;

/** A copy of `span` whose span and event attributes went through `mask`; `span` is untouched. */
export function maskSpan(span: ReadableSpan, mask: MaskFunction): ReadableSpan {
  const spanContext = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: maskAttributes(span.attributes, mask),
    links: span.links,
    events: span.events.map((event) => maskEvent(event, mask)),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

function maskEvent(event: TimedEvent, mask: MaskFunction): TimedEvent {
  return event.attributes === undefined ? event : { ...event, attributes: maskAttributes(event.attributes, mask) };
}

function maskAttributes(attributes: Attributes, mask: MaskFunction): Attributes {
  const masked: Attributes = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    const result = applyMask(mask, key, value);
    if (result !== undefined) masked[key] = result;
  }
  return masked;
}

function applyMask(mask: MaskFunction, key: string, value: AttributeValue): AttributeValue | undefined {
  try {
    return mask({ key, value });
  } catch (error) {
    if (!warnedMaskFailure) {
      warnedMaskFailure = true;
      diag.warn(`spanlite: mask function threw on "${key}"; the value was replaced with "${MASK_FAILED}"`, error);
    }
    return MASK_FAILED;
  }
}
