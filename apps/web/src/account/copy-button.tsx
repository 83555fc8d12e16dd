import { type ReactNode, useState } from 'react';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * A button that copies a text to the clipboard and says so (a toast, and "Copied" on the button
 * itself). Where the Clipboard API is refused (an insecure origin, a denied permission) the text
 * stays selectable on the page and the toast says to copy it by hand.
 *
 * @example
 * <CopyButton text={token} label="Copy token" testId="token-copy" />
 */
export function CopyButton(props: { text: string; label: string; testId: string }): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="small"
      data-testid={props.testId}
      data-copied={copied}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(props.text);
          setCopied(true);
          toast(t('account.copied'));
        } catch {
          toast(t('account.copyFailed'), 'error');
        }
      }}
    >
      {copied ? t('account.copiedShort') : props.label}
    </button>
  );
}
