/** The shell: navigation, the page for the address, the key form when the API asks for keys. */
import { useEffect, useState } from 'preact/hooks';
import { authState, hasCredentials, onAuthChange, signOut } from './api/auth.js';
import { matchRoute, useLocation, type Route } from './router.js';
import { Link } from './components/link.js';
import { ErrorBoundary } from './components/error-boundary.js';
import { LoginForm } from './components/login-form.js';
import { EmptyState } from './components/empty-state.js';
import { TracesPage } from './pages/traces-page.js';
import { TracePage } from './pages/trace-page.js';
import { SessionsPage } from './pages/sessions-page.js';
import { SessionPage } from './pages/session-page.js';
import { UsersPage } from './pages/users-page.js';
import { ScoresPage } from './pages/scores-page.js';
import { ModelsPage } from './pages/models-page.js';
import { DashboardPage } from './pages/dashboard-page.js';

const NAV: Array<[string, string, Route['page'][]]> = [
  ['/', 'Traces', ['traces', 'trace']],
  ['/sessions', 'Sessions', ['sessions', 'session']],
  ['/users', 'Users', ['users']],
  ['/scores', 'Scores', ['scores']],
  ['/models', 'Models', ['models']],
  ['/dashboard', 'Dashboard', ['dashboard']],
];

export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const auth = useAuth();
  useEffect(() => {
    document.title = `${titleOf(route)} · spanlite`;
  }, [pathname]);

  return (
    <>
      <header class="topbar">
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true" />
          spanlite
        </Link>
        <nav aria-label="Main">
          {NAV.map(([path, label, pages]) => (
            <Link key={path} href={path} class="nav-link" aria-current={pages.includes(route.page) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <div class="spacer" />
        <a class="nav-link" href="/api/public/openapi.json" target="_blank" rel="noreferrer">
          API
        </a>
        {auth.signedIn && (
          <button type="button" class="link-button" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main">
        {auth.required ? (
          <LoginForm refused={auth.refused} />
        ) : (
          <ErrorBoundary key={pathname}>
            <Page route={route} />
          </ErrorBoundary>
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'traces':
      return <TracesPage />;
    case 'trace':
      return <TracePage key={route.traceId} traceId={route.traceId} />;
    case 'sessions':
      return <SessionsPage />;
    case 'session':
      return <SessionPage key={route.sessionId} sessionId={route.sessionId} />;
    case 'users':
      return <UsersPage />;
    case 'scores':
      return <ScoresPage />;
    case 'models':
      return <ModelsPage />;
    case 'dashboard':
      return <DashboardPage />;
    case 'notFound':
      return (
        <EmptyState title="No such page">
          <p>
            <Link href="/">Go to the traces</Link>
          </p>
        </EmptyState>
      );
  }
}

function titleOf(route: Route): string {
  switch (route.page) {
    case 'trace':
      return `Trace ${route.traceId.slice(0, 12)}`;
    case 'session':
      return `Session ${route.sessionId}`;
    case 'notFound':
      return 'Not found';
    default:
      return route.page[0]!.toUpperCase() + route.page.slice(1);
  }
}

function useAuth(): { required: boolean; refused: boolean; signedIn: boolean } {
  const read = () => ({ ...authState(), signedIn: hasCredentials() });
  const [state, setState] = useState(read);
  useEffect(() => onAuthChange(() => setState(read())), []);
  return state;
}
