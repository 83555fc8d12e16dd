import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/i18n.js';

/** A save action's state: run it, see its error. */
export interface Save {
  busy: boolean;
  error: unknown;
  run(action: () => Promise<unknown>, invalidate: unknown[][]): Promise<boolean>;
}

/**
 * Runs a create request, shows "Saved." and refreshes the listed queries; keeps the error for the form.
 *
 * @example
 * const save = useSave();
 * await save.run(() => call(createSite, {...}), [['studies']]);
 */
export function useSave(): Save {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return {
    busy,
    error,
    async run(action, invalidate) {
      setBusy(true);
      setError(null);
      try {
        await action();
        await Promise.all(invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
        toast(t('setup.created'));
        return true;
      } catch (caught) {
        setError(caught);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}
