import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';

/**
 * Shows a failed request's message in an alert region.
 *
 * @example
 * {query.error && <ErrorText error={query.error} />}
 */
export function ErrorText({ error }: { error: unknown }): ReactNode {
  const { t } = useI18n();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p className="error" role="alert" data-testid="error">
      {t('common.error', { message })}
    </p>
  );
}
