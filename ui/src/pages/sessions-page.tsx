/** /sessions: conversations (traces sharing a session id), newest first. */
import type { Page, SessionView } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { formatAgo, formatCost, formatCount, formatDuration, formatTime } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { Pager } from '../components/pager.js';

export function SessionsPage() {
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const { data, error, reload } = useApi<Page<SessionView>>('/api/public/sessions', { page, limit: 50 });
  const toPage = (next: number) => navigate(href('/sessions', new URLSearchParams(next === 1 ? {} : { page: String(next) })));
  return (
    <div>
      <div class="page-head">
        <h1>Sessions</h1>
        {data !== undefined && <span class="muted count">{formatCount(data.meta.totalItems)} sessions</span>}
      </div>
      {error !== undefined ? (
        <ErrorBox error={error} title="Could not list sessions" retry={reload} />
      ) : data === undefined ? (
        <Loading label="Loading sessions…" />
      ) : data.data.length === 0 ? (
        <EmptyState title="No sessions yet">
          <p>
            A session groups the traces of one conversation. Set <code>session.id</code> (or{' '}
            <code>gen_ai.conversation.id</code>, or <code>spanlite.trace.session_id</code>) on your spans, the same value on every
            turn.
          </p>
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col" class="num">Traces</th>
                  <th scope="col">Started</th>
                  <th scope="col">Last trace</th>
                  <th scope="col" class="num">Span</th>
                  <th scope="col" class="num">Tokens</th>
                  <th scope="col" class="num">Cost</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((session) => (
                  <tr key={session.id}>
                    <td>
                      <Link href={`/sessions/${encodeURIComponent(session.id)}`}>{session.id}</Link>
                    </td>
                    <td class="num">{formatCount(session.countTraces)}</td>
                    <td title={formatTime(session.firstTraceAt)}>{formatAgo(session.firstTraceAt)}</td>
                    <td title={formatTime(session.lastTraceAt)}>{formatAgo(session.lastTraceAt)}</td>
                    <td class="num">{formatDuration(Date.parse(session.lastTraceAt) - Date.parse(session.firstTraceAt))}</td>
                    <td class="num">{formatCount(session.totalTokens)}</td>
                    <td class="num">{formatCost(session.totalCost)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager meta={data.meta} onPage={toPage} noun="sessions" />
        </>
      )}
    </div>
  );
}
