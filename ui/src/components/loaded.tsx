/** One API answer in its place on a page: the error with a retry, a loading line, else what the data shows. */
import type { ComponentChildren } from 'preact';
import type { ApiState } from '../api/use-api.js';
import { ErrorBox, Loading } from './error-box.js';

export interface LoadedProps<T> {
  state: ApiState<T>;
  /** The error box's title: `Could not list sessions`. */
  errorTitle: string;
  /** `Loading sessions…`. */
  loadingLabel: string;
  children: (data: T) => ComponentChildren;
}

export function Loaded<T>({ state, errorTitle, loadingLabel, children }: LoadedProps<T>) {
  if (state.error !== undefined) return <ErrorBox error={state.error} title={errorTitle} retry={state.reload} />;
  if (state.data === undefined) return <Loading label={loadingLabel} />;
  return <>{children(state.data)}</>;
}
