/** /users: each user id seen on a trace, with its traces, tokens and cost. Sortable; the order is in the URL. */
import type { Page, UserView } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { formatAgo, formatCost, formatCount, formatTime } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { Pager } from '../components/pager.js';

/** Column label -> the API's orderBy field. */
const SORTABLE: Record<string, string> = { Traces: 'countTraces', Cost: 'totalCost', 'First trace': 'firstTraceAt', 'Last trace': 'lastTraceAt' };

export function UsersPage() {
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  const orderBy = search.get('orderBy') ?? 'lastTraceAt.desc';
  const { data, error, reload } = useApi<Page<UserView>>('/api/public/users', { page, limit: 50, orderBy: search.get('orderBy') });
  const go = (next: { page?: number; orderBy?: string }) => {
    const params = new URLSearchParams();
    const order = next.orderBy ?? search.get('orderBy');
    if (order !== null) params.set('orderBy', order);
    if (next.page !== undefined && next.page > 1) params.set('page', String(next.page));
    navigate(href('/users', params));
  };
  const [sortField, sortDirection] = orderBy.split('.');
  const header = (label: string) => {
    const field = SORTABLE[label];
    if (field === undefined) return <th scope="col">{label}</th>;
    const active = field === sortField;
    return (
      <th scope="col" class="num" aria-sort={active ? (sortDirection === 'asc' ? 'ascending' : 'descending') : undefined}>
        <button type="button" class="sort-button" onClick={() => go({ orderBy: active && sortDirection === 'desc' ? `${field}.asc` : `${field}.desc` })}>
          {label}
          {active ? (sortDirection === 'asc' ? ' ▲' : ' ▼') : ''}
        </button>
      </th>
    );
  };
  return (
    <div>
      <div class="page-head">
        <h1>Users</h1>
        {data !== undefined && <span class="muted count">{formatCount(data.meta.totalItems)} users</span>}
      </div>
      {error !== undefined ? (
        <ErrorBox error={error} title="Could not list users" retry={reload} />
      ) : data === undefined ? (
        <Loading label="Loading users…" />
      ) : data.data.length === 0 ? (
        <EmptyState title="No users yet">
          <p>
            Set <code>user.id</code> (or <code>spanlite.trace.user_id</code>, or the Langfuse SDK's user id) on your spans to see
            usage and cost per user here.
          </p>
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table class="data-table">
              <thead>
                <tr>
                  {header('User')}
                  {header('Traces')}
                  <th scope="col" class="num">
                    Tokens (in → out)
                  </th>
                  {header('Cost')}
                  {header('First trace')}
                  {header('Last trace')}
                </tr>
              </thead>
              <tbody>
                {data.data.map((user) => (
                  <tr key={user.userId}>
                    <td>
                      <Link href={href('/', new URLSearchParams({ userId: user.userId }))}>{user.userId}</Link>
                    </td>
                    <td class="num">{formatCount(user.countTraces)}</td>
                    <td class="num">
                      {formatCount(user.inputTokens)} → {formatCount(user.outputTokens)}
                    </td>
                    <td class="num">{formatCost(user.totalCost)}</td>
                    <td class="num" title={formatTime(user.firstTraceAt)}>
                      {formatAgo(user.firstTraceAt)}
                    </td>
                    <td class="num" title={formatTime(user.lastTraceAt)}>
                      {formatAgo(user.lastTraceAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager meta={data.meta} onPage={(next) => go({ page: next })} noun="users" />
        </>
      )}
    </div>
  );
}
