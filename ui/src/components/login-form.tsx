/**
 * Shown when the API answers 401: asks for a project's key pair, keeps it for this tab
 * (sessionStorage) and sends it as HTTP Basic on every request; the page then loads again.
 */
import { useState } from 'preact/hooks';
import { saveCredentials } from '../api/auth.js';

export function LoginForm({ refused }: { refused: boolean }) {
  const [publicKey, setPublicKey] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    if (publicKey.trim() === '' || secretKey.trim() === '') return;
    saveCredentials(publicKey.trim(), secretKey.trim());
  };
  return (
    <section class="login" aria-labelledby="login-title">
      <form class="login-form" onSubmit={submit}>
        <h1 id="login-title">API key required</h1>
        <p>This collector requires a project's API keys. They are kept in this browser tab only.</p>
        {refused && (
          <p class="error-box" role="alert">
            The collector refused these keys. Check the public and secret key.
          </p>
        )}
        <label>
          Public key
          <input name="publicKey" autoComplete="username" placeholder="pk-sl-…" value={publicKey} onInput={(event) => setPublicKey(event.currentTarget.value)} required />
        </label>
        <label>
          Secret key
          <input
            name="secretKey"
            type="password"
            autoComplete="current-password"
            placeholder="sk-sl-…"
            value={secretKey}
            onInput={(event) => setSecretKey(event.currentTarget.value)}
            required
          />
        </label>
        <button type="submit" class="button primary">
          Sign in
        </button>
      </form>
    </section>
  );
}
