/** Page-numbered paging for lists whose API pages by number (sessions, users, scores). */
import type { PageMeta } from '../api/types.js';
import { formatCount } from '../format.js';

export function Pager({ meta, onPage, noun }: { meta: PageMeta; onPage: (page: number) => void; noun: string }) {
  if (meta.totalItems === 0) return null;
  const first = (meta.page - 1) * meta.limit + 1;
  const last = Math.min(meta.totalItems, meta.page * meta.limit);
  return (
    <nav class="pager" aria-label="Pages">
      <span>
        {formatCount(first)}–{formatCount(last)} of {formatCount(meta.totalItems)} {noun}
      </span>
      <button type="button" class="button" disabled={meta.page <= 1} onClick={() => onPage(meta.page - 1)}>
        Previous
      </button>
      <button type="button" class="button" disabled={meta.page >= meta.totalPages} onClick={() => onPage(meta.page + 1)}>
        Next
      </button>
    </nav>
  );
}
