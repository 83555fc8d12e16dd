import { type ReactNode, useRef } from 'react';

/** One tab of {@link Tabs}. */
export interface TabItem<K extends string> {
  key: K;
  label: string;
  disabled?: boolean;
}

/**
 * A WAI-ARIA tab list (arrow keys move between tabs); the caller renders the panel of `active`.
 *
 * @example
 * <Tabs items={[{ key: 'subjects', label: 'Subjects' }]} active={tab} onChange={setTab} testId="pacs-tabs" />
 */
export function Tabs<K extends string>(props: {
  items: TabItem<K>[];
  active: K;
  onChange(key: K): void;
  testId: string;
  /** id of the tab panel the caller renders: tabs get aria-controls and ids `<panelId>-<key>` for its aria-labelledby. */
  panelId?: string;
}): ReactNode {
  const refs = useRef<Map<K, HTMLButtonElement>>(new Map());
  const enabled = props.items.filter((item) => !item.disabled);
  const move = (delta: number) => {
    const index = enabled.findIndex((item) => item.key === props.active);
    const target = enabled[(index + delta + enabled.length) % enabled.length];
    if (target === undefined) return;
    props.onChange(target.key);
    refs.current.get(target.key)?.focus();
  };
  return (
    <div className="tabs" role="tablist" data-testid={props.testId}>
      {props.items.map((item) => (
        <button
          key={item.key}
          ref={(element) => {
            if (element === null) refs.current.delete(item.key);
            else refs.current.set(item.key, element);
          }}
          type="button"
          role="tab"
          id={props.panelId === undefined ? undefined : `${props.panelId}-${item.key}`}
          aria-controls={props.panelId}
          data-testid={`tab-${item.key}`}
          aria-selected={props.active === item.key}
          tabIndex={props.active === item.key ? 0 : -1}
          disabled={item.disabled}
          onClick={() => props.onChange(item.key)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowRight') move(1);
            if (event.key === 'ArrowLeft') move(-1);
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
