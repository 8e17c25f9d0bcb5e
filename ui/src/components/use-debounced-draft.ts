/**
 * A filter typed into a box and applied without a button: what the box shows (the draft) and,
 * once typing pauses, the value handed to `commit` (one request per pause, not one per key).
 * A committed value that changes from elsewhere (back and forward, a link) replaces the draft.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

/** The pause after the last keystroke before the draft is committed. */
export const TYPING_PAUSE_MS = 300;

export function useDebouncedDraft(committed: string, commit: (value: string) => void): [string, (value: string) => void] {
  const [draft, setDraft] = useState(committed);
  const last = useRef(committed);

  useEffect(() => {
    if (committed === last.current) return;
    last.current = committed;
    setDraft(committed);
  }, [committed]);

  useEffect(() => {
    if (draft === last.current) return;
    const timer = setTimeout(() => {
      last.current = draft;
      commit(draft);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // `commit` reads the current location when it runs; only the draft starts the wait.
  }, [draft]);

  return [draft, setDraft];
}
