import { type ReactNode, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { filesFromDrop, filesFromInput } from './collect-files.js';
import type { DroppedFile } from './run-scan.js';

/**
 * The Dropzone: drop a folder, files or a zip; click (or Enter/Space) to pick a folder; a second,
 * smaller control picks single files.
 *
 * @example
 * <Dropzone onFiles={(files) => start(files)} disabled={scanning} />
 */
export function Dropzone(props: { onFiles(files: DroppedFile[]): void; disabled: boolean }): ReactNode {
  const { t } = useI18n();
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInputId = useId();
  const [over, setOver] = useState(false);
  return (
    <div className="dropzone-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: a drop target that also opens the folder picker */}
      <div
        role="button"
        tabIndex={0}
        aria-disabled={props.disabled}
        data-testid="dropzone"
        className={over ? 'dropzone over' : 'dropzone'}
        onClick={() => !props.disabled && folderInput.current?.click()}
        onKeyDown={(event) => {
          if ((event.key === 'Enter' || event.key === ' ') && !props.disabled) {
            event.preventDefault();
            folderInput.current?.click();
          }
        }}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={async (event) => {
          event.preventDefault();
          setOver(false);
          if (props.disabled) return;
          const files = await filesFromDrop(event.dataTransfer);
          if (files.length > 0) props.onFiles(files);
        }}
      >
        <strong>{t('scan.dropTitle')}</strong>
        <span>{t('scan.dropHint')}</span>
      </div>
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid="folder-input"
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(event) => {
          const files = filesFromInput(event.target.files);
          event.target.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
      <label htmlFor={filesInputId} className="pick-files">
        {t('scan.pickFiles')}
        <input
          id={filesInputId}
          type="file"
          multiple
          data-testid="files-input"
          disabled={props.disabled}
          onChange={(event) => {
            const files = filesFromInput(event.target.files);
            event.target.value = '';
            if (files.length > 0) props.onFiles(files);
          }}
        />
      </label>
    </div>
  );
}
