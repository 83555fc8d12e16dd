import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

/** A short notice. */
export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

const ToastContext = createContext<((text: string, kind?: Toast['kind']) => void) | null>(null);

/** How long a toast stays, in milliseconds. */
export const TOAST_MS = 5000;

/**
 * Shows toasts in a polite live region (screen readers announce them) at the bottom right.
 *
 * @example
 * <ToastProvider><App /></ToastProvider>
 */
export function ToastProvider({ children }: { children: ReactNode }): ReactNode {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((text: string, kind: Toast['kind'] = 'info') => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-3), { id, text, kind }]);
    window.setTimeout(() => setToasts((list) => list.filter((toast) => toast.id !== id)), TOAST_MS);
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast ${toast.kind}`} data-testid="toast">
            {toast.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/**
 * The function that shows a toast.
 *
 * @example
 * const toast = useToast();
 * toast('Events loaded: 3');
 */
export function useToast(): (text: string, kind?: Toast['kind']) => void {
  const value = useContext(ToastContext);
  if (value === null) throw new Error('useToast outside ToastProvider');
  return value;
}
