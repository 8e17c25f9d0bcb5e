/** Catches a page that fails to render and says so, instead of leaving a blank page. */
import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import { ErrorBox } from './error-box.js';

export function ErrorBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary((caught: unknown) => console.error('spanlite UI:', caught));
  if (error !== undefined) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return <ErrorBox error={failure} title="This page failed to render" retry={reset} />;
  }
  return <>{children}</>;
}
