/** One labelled value of a header's facts list (`<dl class="facts">`): a trace's, a session's, an observation's. */
import type { ComponentChildren } from 'preact';

export function Fact({ label, title, children }: { label: string; title?: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd title={title}>{children}</dd>
    </div>
  );
}
