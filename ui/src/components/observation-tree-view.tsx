/**
 * The observation tree beside its timeline: one row per observation (type icon, name, duration,
 * model, tokens, cost, level colour) with its bar in the trace's waterfall. A WAI-ARIA tree:
 * Up/Down move, Right opens or enters, Left closes or goes to the parent, Home/End, and
 * Enter (or Space) selects the focused row.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TraceDetail } from '../api/types.js';
import { visibleNodes, type TreeNode } from '../observation-tree.js';
import { formatCost, formatCount, formatDuration } from '../format.js';
import { TypeIcon } from './type-icon.js';

export interface ObservationTreeViewProps {
  trace: TraceDetail;
  root: TreeNode;
  selectedId: string;
  onSelect(id: string): void;
}

interface Span {
  startMs: number;
  totalMs: number;
}

export function ObservationTreeView({ trace, root, selectedId, onSelect }: ObservationTreeViewProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [activeId, setActiveId] = useState(selectedId);
  const rows = useMemo(() => visibleNodes(root, collapsed), [root, collapsed]);
  const span = useMemo(() => timeSpan(trace), [trace]);

  useEffect(() => setActiveId(selectedId), [selectedId]);
  useEffect(() => {
    document.getElementById(rowId(activeId))?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const toggle = (id: string, open?: boolean) => {
    const next = new Set(collapsed);
    const close = open === undefined ? !next.has(id) : !open;
    if (close) next.add(id);
    else next.delete(id);
    setCollapsed(next);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const index = Math.max(0, rows.findIndex((row) => row.id === activeId));
    const node = rows[index];
    if (node === undefined) return;
    const open = node.children.length > 0 && !collapsed.has(node.id);
    const move = (target: TreeNode | undefined) => target !== undefined && setActiveId(target.id);
    switch (event.key) {
      case 'ArrowDown':
        move(rows[Math.min(rows.length - 1, index + 1)]);
        break;
      case 'ArrowUp':
        move(rows[Math.max(0, index - 1)]);
        break;
      case 'ArrowRight':
        if (node.children.length === 0) break;
        if (open) move(node.children[0]);
        else toggle(node.id, true);
        break;
      case 'ArrowLeft':
        if (open) toggle(node.id, false);
        else move(rows.find((row) => row.id === node.parentId));
        break;
      case 'Home':
        move(rows[0]);
        break;
      case 'End':
        move(rows[rows.length - 1]);
        break;
      case 'Enter':
      case ' ':
        onSelect(node.id);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div class="tree-panel">
      <div class="tree-head" aria-hidden="true">
        <span>Observations</span>
        <TimeAxis totalMs={span.totalMs} />
      </div>
      <div
        class="tree"
        role="tree"
        aria-label="Observations of this trace"
        tabIndex={0}
        aria-activedescendant={rowId(activeId)}
        onKeyDown={onKeyDown}
      >
        {rows.map((node) => (
          <TreeRow
            key={node.id}
            node={node}
            trace={trace}
            span={span}
            active={node.id === activeId}
            selected={node.id === selectedId}
            collapsed={collapsed.has(node.id)}
            onToggle={() => toggle(node.id)}
            onClick={() => {
              setActiveId(node.id);
              onSelect(node.id);
            }}
          />
        ))}
      </div>
    </div>
  );
}

function TreeRow(props: {
  node: TreeNode;
  trace: TraceDetail;
  span: Span;
  active: boolean;
  selected: boolean;
  collapsed: boolean;
  onToggle(): void;
  onClick(): void;
}) {
  const { node, trace, span, active, selected, collapsed } = props;
  const facts = rowFacts(node, trace);
  const hasChildren = node.children.length > 0;
  return (
    <div
      id={rowId(node.id)}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-selected={selected}
      aria-expanded={hasChildren ? !collapsed : undefined}
      data-observation-id={node.id}
      class={`tree-row level-${facts.level.toLowerCase()}${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      onClick={props.onClick}
    >
      <div class="tree-cell" style={{ paddingLeft: `${0.4 + node.depth * 1.1}rem` }}>
        <button
          type="button"
          class="caret-button"
          tabIndex={-1}
          aria-hidden="true"
          style={{ visibility: hasChildren ? 'visible' : 'hidden' }}
          onClick={(event) => {
            event.stopPropagation();
            props.onToggle();
          }}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <TypeIcon type={facts.type} />
        <div class="tree-text">
          <div class="tree-name">
            <span class="name">{facts.name}</span>
            {facts.level !== 'DEFAULT' && <span class={`level-badge level-${facts.level.toLowerCase()}`}>{facts.level}</span>}
          </div>
          <div class="tree-meta">
            {facts.durationMs !== null && <span>{formatDuration(facts.durationMs)}</span>}
            {facts.model !== null && <span class="model">{facts.model}</span>}
            {facts.tokens !== null && <span title="input → output tokens">{facts.tokens}</span>}
            {facts.cost !== null && <span class="cost">{formatCost(facts.cost)}</span>}
          </div>
        </div>
      </div>
      <div class="timeline-cell">
        <TimelineBar startMs={facts.startMs} durationMs={facts.durationMs} span={span} type={facts.type} level={facts.level} />
      </div>
    </div>
  );
}

interface RowFacts {
  type: string;
  name: string;
  level: string;
  startMs: number;
  durationMs: number | null;
  model: string | null;
  tokens: string | null;
  cost: number | null;
}

function rowFacts(node: TreeNode, trace: TraceDetail): RowFacts {
  const observation = node.observation;
  if (observation === null) {
    const worst = trace.observations.some((o) => o.level === 'ERROR') ? 'ERROR' : trace.observations.some((o) => o.level === 'WARNING') ? 'WARNING' : 'DEFAULT';
    return {
      type: 'TRACE',
      name: trace.name ?? trace.id,
      level: worst,
      startMs: Date.parse(trace.timestamp),
      durationMs: trace.latencyMs,
      model: null,
      tokens: trace.totalTokens > 0 ? `${formatCount(trace.inputTokens)} → ${formatCount(trace.outputTokens)}` : null,
      cost: trace.totalCost,
    };
  }
  const usage = observation.usage;
  return {
    type: observation.type,
    name: observation.name,
    level: observation.level,
    startMs: Date.parse(observation.startTime),
    durationMs: observation.latency === null ? null : observation.latency * 1000,
    model: observation.model,
    tokens: usage.total > 0 ? `${formatCount(usage.input)} → ${formatCount(usage.output)}` : null,
    cost: observation.totalCost,
  };
}

function timeSpan(trace: TraceDetail): Span {
  let start = Date.parse(trace.timestamp);
  let end = Date.parse(trace.endTimestamp);
  for (const observation of trace.observations) {
    const from = Date.parse(observation.startTime);
    start = Math.min(start, from);
    end = Math.max(end, observation.endTime === null ? from : Date.parse(observation.endTime));
  }
  return { startMs: start, totalMs: Math.max(1, end - start) };
}

function TimelineBar({ startMs, durationMs, span, type, level }: { startMs: number; durationMs: number | null; span: Span; type: string; level: string }) {
  const left = ((startMs - span.startMs) / span.totalMs) * 100;
  if (durationMs === null || type === 'EVENT') {
    return <span class={`timeline-event type-${type.toLowerCase()}`} style={{ left: `${clamp(left)}%` }} title={`event at +${formatDuration(startMs - span.startMs)}`} />;
  }
  const width = Math.max(0.4, (durationMs / span.totalMs) * 100);
  return (
    <span
      class={`timeline-bar type-${type.toLowerCase()} level-${level.toLowerCase()}`}
      style={{ left: `${clamp(left)}%`, width: `${Math.min(width, 100 - clamp(left))}%` }}
      title={`+${formatDuration(startMs - span.startMs)}, ${formatDuration(durationMs)}`}
    />
  );
}

function TimeAxis({ totalMs }: { totalMs: number }) {
  return (
    <span class="time-axis">
      {[0, 0.25, 0.5, 0.75, 1].map((fraction) => (
        <span key={fraction} style={{ left: `${fraction * 100}%` }}>
          {fraction === 0 ? '0' : formatDuration(totalMs * fraction)}
        </span>
      ))}
    </span>
  );
}

const clamp = (percent: number) => Math.min(99.6, Math.max(0, percent));
const rowId = (id: string) => `node-${id}`;
