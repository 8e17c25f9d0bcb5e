/** An <a> that navigates inside the app, keeping the browser's own behaviour for modified clicks. */
import type { ComponentChildren } from 'preact';
import { isPlainClick, navigate } from '../router.js';

export interface LinkProps {
  href: string;
  class?: string;
  title?: string;
  'aria-current'?: 'page';
  children?: ComponentChildren;
}

export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
