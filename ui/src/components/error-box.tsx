/** An error, shown in place of what could not be loaded: never a blank page. */
import { ApiError } from '../api/client.js';

export function ErrorBox({ error, title, retry }: { error: Error; title?: string; retry?: () => void }) {
  const status = error instanceof ApiError && error.status > 0 ? ` (HTTP ${error.status})` : '';
  return (
    <div class="error-box" role="alert">
      <strong>{title ?? 'Could not load this'}{status}</strong>
      <p>{error.message}</p>
      {retry !== undefined && (
        <button type="button" class="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}
