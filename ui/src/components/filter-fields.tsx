/**
 * What the filter panels (traces, scores) are made of: a draft of the edits, applied on submit,
 * and labelled controls bound to it.
 */
import type { InputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';

/** The props that bind one control to a draft field. */
export interface Binding {
  name: string;
  value: string;
  onInput(event: Event): void;
}

export interface DraftState<D> {
  draft: D;
  setDraft(draft: D): void;
  bind(name: keyof D & string): Binding;
}

/** A form's edits, kept until applied; `bind(name)` binds a control to one field. */
export function useDraft<D extends Record<string, string>>(initial: () => D): DraftState<D> {
  const [draft, setDraft] = useState<D>(initial);
  const bind = (name: keyof D & string): Binding => ({
    name,
    value: draft[name] ?? '',
    onInput: (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value }),
  });
  return { draft, setDraft, bind };
}

/** A labelled input of a filter panel; `wide` spans two columns. */
export function FilterInput({ label, wide = false, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; wide?: boolean }) {
  return (
    <label class={wide ? 'wide' : undefined}>
      {label}
      <input {...input} />
    </label>
  );
}

/** A labelled select of a filter panel: [value, text] options, the first usually `['', 'Any']`. */
export function FilterSelect({ label, options, binding }: { label: string; options: ReadonlyArray<readonly [string, string]>; binding: Binding }) {
  return (
    <label>
      {label}
      <select {...binding}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
