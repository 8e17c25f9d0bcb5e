/** /sessions: conversations (traces sharing a session id), newest first. */
import type { SessionView } from '../api/types.js';
import { formatAgo, formatCount, formatDuration, formatSummedCost, formatTime } from '../format.js';
import { navigate } from '../router.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { PagedList, pageHref, usePagedApi } from '../components/paged-list.js';

export function SessionsPage() {
  const state = usePagedApi<SessionView>('/api/public/sessions');
  return (
    <PagedList
      title="Sessions"
      noun="sessions"
      state={state}
      onPage={(page) => navigate(pageHref('/sessions', new URLSearchParams(), page))}
      empty={
        <EmptyState title="No sessions yet">
          <p>
            A session groups the traces of one conversation. Set <code>session.id</code> (or{' '}
            <code>gen_ai.conversation.id</code>, or <code>spanlite.trace.session_id</code>) on your spans, the same value on every
            turn.
          </p>
        </EmptyState>
      }
      columns={
        <>
          <th scope="col">Session</th>
          <th scope="col" class="num">Traces</th>
          <th scope="col">Started</th>
          <th scope="col">Last trace</th>
          <th scope="col" class="num">Span</th>
          <th scope="col" class="num">Tokens</th>
          <th scope="col" class="num">Cost</th>
        </>
      }
      row={(session) => (
        <tr key={session.id}>
          <td>
            <Link href={`/sessions/${encodeURIComponent(session.id)}`}>{session.id}</Link>
          </td>
          <td class="num">{formatCount(session.countTraces)}</td>
          <td title={formatTime(session.firstTraceAt)}>{formatAgo(session.firstTraceAt)}</td>
          <td title={formatTime(session.lastTraceAt)}>{formatAgo(session.lastTraceAt)}</td>
          <td class="num">{formatDuration(Date.parse(session.lastTraceAt) - Date.parse(session.firstTraceAt))}</td>
          <td class="num">{formatCount(session.totalTokens)}</td>
          <td class="num">{formatSummedCost(session.totalCost)}</td>
        </tr>
      )}
    />
  );
}
