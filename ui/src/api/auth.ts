/**
 * API keys for a collector that requires them (HTTP Basic `public:secret`, as Langfuse's API).
 * Kept in sessionStorage: they live as long as the tab, never on disk.
 */
const STORAGE_KEY = 'spanlite.authorization';

type Listener = () => void;
const listeners = new Set<Listener>();
let required = false;
let refused = false;

export function authorizationHeader(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function hasCredentials(): boolean {
  return authorizationHeader() !== null;
}

/** Stores the pair; every request from now on sends it. */
export function saveCredentials(publicKey: string, secretKey: string): void {
  const bytes = new TextEncoder().encode(`${publicKey}:${secretKey}`);
  const binary = Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
  sessionStorage.setItem(STORAGE_KEY, `Basic ${btoa(binary)}`);
  required = false;
  notify();
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  notify();
}

/** An API call answered 401: the UI asks for keys (again, if the stored ones were refused). */
export function reportUnauthorized(): void {
  refused = hasCredentials();
  if (refused) sessionStorage.removeItem(STORAGE_KEY);
  required = true;
  notify();
}

export function authState(): { required: boolean; refused: boolean } {
  return { required, refused };
}

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
