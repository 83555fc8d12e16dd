import { getMe } from '@courier/api';
import type { InstanceRecord } from '@courier/uploader';
import { type ReactNode, useEffect, useReducer, useRef, useState } from 'react';
import { call, setCsrfToken } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { announceSlotAssigned } from '../portal/upload-broadcast.js';
import { parseUploaderSearch } from '../portal/uploader-link.js';
import { UploadWorker } from './run-upload.js';
import { canFinish, uploadIdle, uploadReducer } from './upload-state.js';
import { uploadText } from './upload-text.js';

/** What the upload dialog needs from the window: the session opened by Connect and the files. */
export interface UploadPanelProps {
  readonly uploadId: string;
  /** Study Instance UID the slot holds now (null when empty): replacing it needs a confirmation. */
  readonly slotHolds: string | null;
  /** The scanned instances of the selected series. */
  readonly records: readonly InstanceRecord[];
  /** The dropped Files they are read from (their own, or their zip archive), by path. */
  readonly files: ReadonlyMap<string, File>;
  /** Selected instances whose File is not at hand (see upload-items.ts). */
  readonly missing: number;
  readonly onClose: () => void;
}

/**
 * The upload step (ARCHITECTURE.md steps 10–11): @courier/uploader's engine runs in a Web Worker
 * (upload-worker.ts) — de-identification, hashing, STOW-RS bodies and requests off the page's
 * thread, reading the Files as Blob slices — against the session Connect opened, resuming it on
 * "Retry" (the engine asks the Portal which instances it holds). The page shows "Analysed",
 * "Uploaded", "Verified" and a progress bar from the worker's messages, the error table, the login
 * prompt when the Portal session ends (the run waits and goes on after Connect), "LogFile" (the
 * engine's structured log: counts, codes and de-identified UIDs, never a patient value) and
 * "Finish" once every file is verified and the study assigned.
 *
 * @example
 * <UploadPanel uploadId={id} slotHolds={null} records={records} files={files} missing={0} onClose={() => {}} />
 */
export function UploadPanel(props: UploadPanelProps): ReactNode {
  const { language } = useI18n();
  const u = (key: Parameters<typeof uploadText>[1], values?: Record<string, string>) =>
    uploadText(language, key, values);
  const [state, dispatch] = useReducer(uploadReducer, props.records.length, uploadIdle);
  const [confirmed, setConfirmed] = useState(props.slotHolds === null);
  const [loginError, setLoginError] = useState<unknown>(null);
  const log = useRef('');
  const worker = useRef<UploadWorker | null>(null);
  const filesSent = useRef<Promise<void> | null>(null);

  useEffect(() => {
    const upload = new UploadWorker({
      onEvent: (event) => dispatch({ type: 'event', event }),
      onFinished: (outcome, text) => {
        log.current = text;
        dispatch({ type: 'finished', outcome });
      },
      onFailed: (message) => dispatch({ type: 'failed', message }),
    });
    worker.current = upload;
    filesSent.current = upload.sendFiles(props.files);
    return () => {
      upload.terminate();
      worker.current = null;
    };
  }, [props.files]);

  const csrfToken = async (): Promise<string | undefined> => {
    try {
      const me = await call(getMe);
      setCsrfToken(me.csrfToken);
      return me.csrfToken ?? undefined;
    } catch {
      // The engine's first request fails with 401 as well and asks for the login itself.
      return undefined;
    }
  };

  const start = async () => {
    dispatch({ type: 'start' });
    const token = await csrfToken();
    await filesSent.current;
    worker.current?.start({
      records: props.records,
      uploadId: props.uploadId,
      overwrite: props.slotHolds !== null && confirmed,
      ...(token === undefined ? {} : { csrfToken: token }),
    });
  };

  // "Upload" in the window starts the run at once; a slot that holds a study waits for the confirmation.
  const started = useRef(false);
  // The step opens below the selection: bring it into view and move the focus to its heading, as a
  // dialog would, so keyboard and screen-reader users follow the upload.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView?.({ block: 'start' });
    heading.current?.focus();
  }, []);
  useEffect(() => {
    if (!confirmed || started.current || props.records.length === 0 || props.missing > 0) return;
    started.current = true;
    void start();
  });

  // Committed: every Portal tab of this browser hears it and refreshes its DICOM tab (no focus needed).
  useEffect(() => {
    if (state.phase !== 'done') return;
    const slot = parseUploaderSearch(new URLSearchParams(window.location.search));
    if (slot !== null) announceSlotAssigned({ type: 'slot-assigned', ...slot });
  }, [state.phase]);

  const reconnect = async () => {
    setLoginError(null);
    try {
      const me = await call(getMe);
      setCsrfToken(me.csrfToken);
      dispatch({ type: 'logged-in' });
      worker.current?.loggedIn(me.csrfToken ?? undefined);
    } catch (error) {
      setLoginError(error);
    }
  };

  const downloadLog = () => {
    const blob = new Blob([log.current], { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `courier-upload-${props.uploadId}.log`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const finish = () => {
    props.onClose();
    // The Portal tabs were told when the upload was committed (upload-broadcast.ts).
    window.close();
  };

  const running = state.phase === 'running' || state.phase === 'login';
  const counter = (key: 'analysed' | 'uploaded' | 'verified', value: number) => (
    <div className="counter">
      <span className="counter-label">{u(key)}</span>{' '}
      <span data-testid={`upload-count-${key}`} data-value={value} data-total={state.total}>
        {value}/{state.total}
      </span>
    </div>
  );

  return (
    <section className="panel" aria-labelledby="upload-heading" data-testid="upload-panel" data-state={state.phase}>
      <h2 id="upload-heading" ref={heading} tabIndex={-1}>
        {u('title')}
      </h2>
      {!confirmed && (
        <div className="notice" role="alert" data-testid="upload-overwrite">
          <p>
            <strong>{u('overwriteTitle')}</strong>
          </p>
          <p>{u('overwriteText', { uid: props.slotHolds ?? '' })}</p>
          <button
            type="button"
            className="warn"
            data-testid="upload-overwrite-confirm"
            onClick={() => setConfirmed(true)}
          >
            {u('overwriteConfirm')}
          </button>
        </div>
      )}
      {props.missing > 0 && (
        <p className="error" role="alert" data-testid="upload-missing">
          {props.missing} — {u('missingFile')}
        </p>
      )}
      {/* A polite live region: the step counts are announced as they change. */}
      <div className="counters" role="status" aria-atomic="true" data-testid="upload-counters">
        {counter('analysed', state.counts.deidentify)}
        {counter('uploaded', state.counts.upload)}
        {counter('verified', state.counts.verify)}
      </div>
      <progress
        data-testid="upload-progress"
        aria-label={u('progress')}
        max={1}
        value={state.progress}
        style={{ width: '100%' }}
      />
      {state.phase === 'running' && (
        <p className="hint" role="status">
          {u('running')}
        </p>
      )}
      {state.phase === 'login' && (
        <div className="notice" role="alert" data-testid="upload-login-prompt">
          <p>{u('loginRequired')}</p>
          <a href="/login" target="_blank" rel="noopener opener" data-testid="upload-open-login">
            {u('openLogin')}
          </a>{' '}
          <button type="button" className="primary" data-testid="upload-reconnect" onClick={reconnect}>
            {u('connect')}
          </button>
          {loginError !== null && <ErrorText error={loginError} />}
        </div>
      )}
      {state.fatal !== null && (
        <div data-testid="upload-fatal">
          <ErrorText error={new Error(state.fatal)} />
        </div>
      )}
      {state.phase === 'failed' && (
        <p className="hint" data-testid="upload-retry-hint">
          {u('retryHint')}
        </p>
      )}
      {state.errors.length > 0 && (
        <table className="table" data-testid="upload-errors">
          <caption>{u('errors')}</caption>
          <thead>
            <tr>
              <th scope="col">{u('file')}</th>
              <th scope="col">{u('step')}</th>
              <th scope="col">{u('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {state.errors.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
              <tr key={i} data-testid="upload-error-row">
                <td>
                  {row.index === null ? '—' : `#${row.index + 1}`}
                  {row.sopInstanceUid === undefined ? '' : ` ${row.sopInstanceUid}`}
                </td>
                <td>{row.step}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state.phase === 'done' && (
        <p className="hint" role="status" data-testid="upload-done" data-study-uid={state.studyInstanceUid ?? ''}>
          {u('done')}
        </p>
      )}
      <div className="actions">
        {state.phase === 'failed' && (
          <button type="button" className="primary" data-testid="upload-retry" onClick={start}>
            {u('retry')}
          </button>
        )}
        <button type="button" data-testid="upload-logfile" disabled={running} onClick={downloadLog}>
          {u('logFile')}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="upload-finish"
          disabled={!canFinish(state)}
          onClick={finish}
        >
          {u('finish')}
        </button>
      </div>
    </section>
  );
}
