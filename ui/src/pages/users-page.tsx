/** /users: each user id seen on a trace, with its traces, tokens and cost. Sortable; the order is in the URL. */
import type { UserView } from '../api/types.js';
import { formatAgo, formatCount, formatSummedCost, formatTime } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { SortHeader } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { PagedList, pageHref, usePagedApi } from '../components/paged-list.js';

const DEFAULT_ORDER = 'lastTraceAt.desc';

export function UsersPage() {
  const { search } = useLocation();
  const orderParam = search.get('orderBy');
  const state = usePagedApi<UserView>('/api/public/users', { orderBy: orderParam });
  const go = (orderBy: string | null, page: number) =>
    navigate(pageHref('/users', new URLSearchParams(orderBy === null ? {} : { orderBy }), page));
  const sortable = (label: string, field: string) => (
    <SortHeader label={label} field={field} orderBy={orderParam ?? DEFAULT_ORDER} onSort={(orderBy) => go(orderBy, 1)} numeric />
  );
  return (
    <PagedList
      title="Users"
      noun="users"
      state={state}
      onPage={(page) => go(orderParam, page)}
      empty={
        <EmptyState title="No users yet">
          <p>
            Set <code>user.id</code> (or <code>spanlite.trace.user_id</code>, or the Langfuse SDK's user id) on your spans to see
            usage and cost per user here.
          </p>
        </EmptyState>
      }
      columns={
        <>
          <th scope="col">User</th>
          {sortable('Traces', 'countTraces')}
          <th scope="col" class="num">
            Tokens (in → out)
          </th>
          {sortable('Cost', 'totalCost')}
          {sortable('First trace', 'firstTraceAt')}
          {sortable('Last trace', 'lastTraceAt')}
        </>
      }
      row={(user) => (
        <tr key={user.userId}>
          <td>
            <Link href={href('/', new URLSearchParams({ userId: user.userId }))}>{user.userId}</Link>
          </td>
          <td class="num">{formatCount(user.countTraces)}</td>
          <td class="num">
            {formatCount(user.inputTokens)} → {formatCount(user.outputTokens)}
          </td>
          <td class="num">{formatSummedCost(user.totalCost)}</td>
          <td class="num" title={formatTime(user.firstTraceAt)}>
            {formatAgo(user.firstTraceAt)}
          </td>
          <td class="num" title={formatTime(user.lastTraceAt)}>
            {formatAgo(user.lastTraceAt)}
          </td>
        </tr>
      )}
    />
  );
}
