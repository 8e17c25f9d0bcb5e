/**
 * /sessions/<sessionId>: the conversation replayed turn by turn, oldest first. Each turn shows
 * what the user said (the messages its input added to the conversation) and the answer, links to
 * its trace, and is marked with its error or warning and its scores as the traces list marks them.
 */
import type { SessionDetail, TraceListItem, TraceListPage, TraceView } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ApiError } from '../api/client.js';
import { asChatMessages, newMessages } from '../chat-messages.js';
import { formatCost, formatCount, formatDuration, formatSummedCost, formatTime } from '../format.js';
import { href } from '../router.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { Fact } from '../components/fact.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { ContentView, Conversation } from '../components/content-view.js';
import { ScoreChips } from '../components/score-chips.js';

type TurnMarkers = Pick<TraceListItem, 'level' | 'scoreValues'>;

/** The trace list's page size at most: turns past it are replayed without their markers. */
const MARKED_TURNS = 1000;

export function SessionPage({ sessionId }: { sessionId: string }) {
  const { data: session, error, reload } = useApi<SessionDetail>(`/api/public/sessions/${encodeURIComponent(sessionId)}`);
  // The session's traces as the list shows them, for each turn's error level and scores.
  const { data: listed } = useApi<TraceListPage>('/api/public/traces', { sessionId, limit: MARKED_TURNS });
  const markers = new Map((listed?.data ?? []).map((trace) => [trace.id, trace]));
  if (error instanceof ApiError && error.status === 404) {
    return (
      <EmptyState title="Session not found">
        <p>
          No trace carries the session id <code>{sessionId}</code>. <Link href="/sessions">All sessions</Link>
        </p>
      </EmptyState>
    );
  }
  if (error !== undefined) return <ErrorBox error={error} title="Could not load the session" retry={reload} />;
  if (session === undefined) return <Loading label="Loading session…" />;
  const users = [...new Set(session.traces.map((trace) => trace.userId).filter((user): user is string => user !== null))];
  return (
    <div class="session-page">
      <header class="trace-header">
        <div class="title-row">
          <h1>Session {session.id}</h1>
        </div>
        <dl class="facts">
          <Fact label="Turns">{formatCount(session.countTraces)}</Fact>
          <Fact label="Started">{formatTime(session.firstTraceAt)}</Fact>
          <Fact label="Last turn">{formatTime(session.lastTraceAt)}</Fact>
          {users.length > 0 && (
            <Fact label="User">
              {users.map((user, index) => (
                <span key={user}>
                  {index > 0 && ', '}
                  <Link href={href('/', new URLSearchParams({ userId: user }))}>{user}</Link>
                </span>
              ))}
            </Fact>
          )}
          <Fact label="Tokens">{formatCount(session.totalTokens)}</Fact>
          <Fact label="Cost">{formatSummedCost(session.totalCost)}</Fact>
        </dl>
        <p>
          <Link href={href('/', new URLSearchParams({ sessionId: session.id }))}>Show these traces in the list</Link>
        </p>
      </header>
      <ol class="turns" aria-label="Turns">
        {session.traces.map((trace, index) => (
          <Turn key={trace.id} trace={trace} number={index + 1} markers={markers.get(trace.id)} />
        ))}
      </ol>
    </div>
  );
}

function Turn({ trace, number, markers }: { trace: TraceView; number: number; markers: TurnMarkers | undefined }) {
  const level = markers?.level ?? 'DEFAULT';
  return (
    <li class="turn" data-trace-id={trace.id}>
      <header class="turn-head">
        <span class="turn-number">Turn {number}</span>
        <Link href={`/traces/${trace.id}`}>{trace.name ?? trace.id}</Link>
        {level !== 'DEFAULT' && (
          <span class={`level-badge level-${level.toLowerCase()}`} title={level === 'ERROR' ? 'This turn has an error' : 'This turn has a warning'}>
            {level === 'ERROR' ? 'error' : 'warning'}
          </span>
        )}
        {markers !== undefined && <ScoreChips scores={markers.scoreValues} />}
        <span class="muted">
          {formatTime(trace.timestamp)} · {formatDuration(trace.latencyMs)} · {formatCount(trace.totalTokens)} tokens · {formatCost(trace.totalCost)}
        </span>
      </header>
      <div class="turn-body">
        <TurnSide value={trace.input} role="user" />
        <TurnSide value={trace.output} role="assistant" />
      </div>
    </li>
  );
}

/** Chat input: only what this turn added. Plain text: as a message of the side's role. */
function TurnSide({ value, role }: { value: unknown; role: 'user' | 'assistant' }) {
  if (value === null || value === undefined || value === '') return null;
  const messages = asChatMessages(value);
  if (messages !== null) return <Conversation messages={role === 'user' ? newMessages(messages) : messages} />;
  if (typeof value === 'string') {
    return <Conversation messages={[{ role, name: null, text: value, toolCalls: [], toolCallId: null, otherParts: [] }]} />;
  }
  return (
    <div class={`message role-${role}`}>
      <div class="message-role">{role === 'user' ? 'input' : 'output'}</div>
      <ContentView value={value} />
    </div>
  );
}
