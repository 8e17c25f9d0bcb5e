/**
 * JSON, pretty and collapsible: objects and arrays fold (open to `openDepth`), long strings fold,
 * big arrays show their first items with a way to see more.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { FoldedText } from './folded-text.js';

const SHOWN_ITEMS = 100;

export function JsonView({ value, openDepth = 2 }: { value: unknown; openDepth?: number }) {
  return (
    <div class="json-view">
      <JsonNode value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

function JsonNode({ name, value, depth, openDepth }: { name?: string; value: unknown; depth: number; openDepth: number }) {
  const key = name === undefined ? null : <span class="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="json-line">
        {key}
        <JsonScalar value={value} />
      </div>
    );
  }
  return <JsonBranch keyLabel={key} value={value as Record<string, unknown> | unknown[]} depth={depth} openDepth={openDepth} />;
}

function JsonBranch({
  keyLabel,
  value,
  depth,
  openDepth,
}: {
  keyLabel: JSX.Element | null;
  value: Record<string, unknown> | unknown[];
  depth: number;
  openDepth: number;
}) {
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const [open, setOpen] = useState(depth < openDepth || entries.length <= 1);
  const [shown, setShown] = useState(SHOWN_ITEMS);
  const [opening, closing] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div class="json-line">
        {keyLabel}
        <span class="json-punct">{`${opening}${closing}`}</span>
      </div>
    );
  }
  const summary = Array.isArray(value) ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
  return (
    <div class="json-branch">
      <button type="button" class="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="caret">{open ? '▾' : '▸'}</span>
        {keyLabel}
        <span class="json-punct">{opening}</span>
        {!open && (
          <span class="json-summary">
            {' '}
            {summary} <span class="json-punct">{closing}</span>
          </span>
        )}
      </button>
      {open && (
        <div class="json-children">
          {entries.slice(0, shown).map(([name, item]) => (
            <JsonNode key={name} name={Array.isArray(value) ? undefined : name} value={item} depth={depth + 1} openDepth={openDepth} />
          ))}
          {entries.length > shown && (
            <button type="button" class="link-button" onClick={() => setShown(shown + SHOWN_ITEMS * 5)}>
              Show more ({entries.length - shown} left)
            </button>
          )}
        </div>
      )}
      {open && <div class="json-punct">{closing}</div>}
    </div>
  );
}

function JsonScalar({ value }: { value: unknown }) {
  if (typeof value === 'string') {
    if (value.length > 200 || value.includes('\n')) return <FoldedText text={value} class="json-string block" />;
    return <span class="json-string">"{value}"</span>;
  }
  if (typeof value === 'number') return <span class="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span class="json-boolean">{String(value)}</span>;
  return <span class="json-null">null</span>;
}
