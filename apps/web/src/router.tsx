import { type AnchorHTMLAttributes, type ReactNode, useEffect, useSyncExternalStore } from 'react';

// A tiny history router: the app has a handful of fixed paths, so a dependency (react-router 8
// needs Node 22) would add more than it saves.

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
}

/**
 * The current path and query, re-rendering on navigation.
 *
 * @example
 * const { path, search } = useLocation();
 */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, 'http://x');
  return { path: url.pathname, search: url.searchParams };
}

/**
 * Goes to a path of the app without reloading.
 *
 * @example
 * navigate('/pacs/subjects');
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * An in-app link: a real anchor (middle-click opens a tab) that navigates without reloading.
 *
 * @example
 * <Link to="/admin">Study set-up</Link>
 */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }): ReactNode {
  const { to, onClick, ...rest } = props;
  return (
    <a
      {...rest}
      href={to}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    />
  );
}

/**
 * Replaces the location once rendered (a redirect).
 *
 * @example
 * if (!me) return <Redirect to="/login" />;
 */
export function Redirect({ to }: { to: string }): ReactNode {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
