/** Text that may be long: shown whole when short, folded to its start with a way to unfold. */
import { useState } from 'preact/hooks';
import { formatCount } from '../format.js';

const FOLD_CHARS = 1500;
const FOLD_LINES = 24;

export function FoldedText({ text, class: className = 'text' }: { text: string; class?: string }) {
  const [open, setOpen] = useState(false);
  const lines = text.split('\n');
  const long = text.length > FOLD_CHARS || lines.length > FOLD_LINES;
  if (!long || open) {
    return (
      <div class={className}>
        {text}
        {long && (
          <button type="button" class="link-button fold-toggle" onClick={() => setOpen(false)}>
            Fold
          </button>
        )}
      </div>
    );
  }
  const head = lines.slice(0, FOLD_LINES).join('\n').slice(0, FOLD_CHARS);
  return (
    <div class={className}>
      {head}
      <span class="fold-ellipsis">…</span>
      <button type="button" class="link-button fold-toggle" onClick={() => setOpen(true)}>
        Show all ({formatCount(text.length)} characters)
      </button>
    </div>
  );
}
