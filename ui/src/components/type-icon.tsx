/** An observation type as a small coloured badge (letters, so it reads without colour too). */
const LABELS: Record<string, string> = {
  SPAN: 'SP',
  GENERATION: 'GE',
  EVENT: 'EV',
  TOOL: 'TL',
  RETRIEVER: 'RE',
  EMBEDDING: 'EM',
  AGENT: 'AG',
  CHAIN: 'CH',
  EVALUATOR: 'EL',
  GUARDRAIL: 'GR',
  TRACE: 'TR',
};

export function TypeIcon({ type }: { type: string }) {
  return (
    <span class={`type-icon type-${type.toLowerCase()}`} title={type} aria-label={type}>
      {LABELS[type] ?? type.slice(0, 2)}
    </span>
  );
}
