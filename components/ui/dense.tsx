import type { CSSProperties, ReactNode } from 'react';
import clsx from 'clsx';
import classes from './dense.module.css';

/**
 * Plain-element versions of Mantine's Text and Badge for dense lists (History, Activity): the
 * same look from the same theme variables, without a Mantine component per element. On a page of
 * 50 History rows Mantine's per-element style machinery was most of the server's render time
 * (bench: history page, `--cpu-prof`). The pieces rows share (Time, StatusBadge, ExactValue) use
 * these wherever they appear; forms, dialogs and the rest of single records keep Mantine's.
 */

type Data = { [key: `data-${string}`]: string | undefined };

export function DenseText({
  children,
  size = 'sm',
  dimmed = false,
  mono = false,
  span = false,
  block = false,
  className,
  title,
  ...data
}: {
  children: ReactNode;
  size?: 'xs' | 'sm';
  dimmed?: boolean;
  mono?: boolean;
  /** An inline <span> instead of a <p>. */
  span?: boolean;
  /** With `span`: on its own line. */
  block?: boolean;
  className?: string;
  title?: string;
} & Data) {
  const Tag = span ? 'span' : 'p';
  return (
    <Tag
      className={clsx(
        classes.text,
        size === 'xs' && classes.xs,
        dimmed && classes.dimmed,
        mono && classes.mono,
        block && classes.block,
        className,
      )}
      title={title}
      {...data}
    >
      {children}
    </Tag>
  );
}

export function DenseBadge({
  children,
  color,
  variant = 'light',
  size = 'md',
  whole = false,
  wrap = false,
  title,
  ...data
}: {
  children: ReactNode;
  /** A theme color name (green, red, …). */
  color: string;
  variant?: 'light' | 'outline';
  size?: 'xs' | 'md';
  /** Never narrower than its words. */
  whole?: boolean;
  /** Let a long label wrap. */
  wrap?: boolean;
  title?: string;
} & Data) {
  const style =
    variant === 'light'
      ? ({
          '--badge-bg': `var(--mantine-color-${color}-light)`,
          '--badge-color': `var(--mantine-color-${color}-light-color)`,
        } as CSSProperties)
      : ({
          '--badge-bg': 'transparent',
          '--badge-color': `var(--mantine-color-${color}-outline)`,
          '--badge-bd-color': `var(--mantine-color-${color}-outline)`,
        } as CSSProperties);
  return (
    <span
      className={clsx(classes.badge, size === 'xs' && classes.badgeXs, whole && classes.badgeWhole, wrap && classes.badgeWrap)}
      style={style}
      title={title}
      data-variant={variant}
      {...data}
    >
      <span className={classes.badgeLabel} data-badge-label="">
        {children}
      </span>
    </span>
  );
}

/** A light, compact-xs button (a row's own action: a click on it is not a click on the row). */
export function DenseButton({
  children,
  color,
  onClick,
  'aria-label': ariaLabel,
}: {
  children: ReactNode;
  color: string;
  onClick: () => void;
  'aria-label'?: string;
}) {
  const style = {
    '--button-bg': `var(--mantine-color-${color}-light)`,
    '--button-hover': `var(--mantine-color-${color}-light-hover)`,
    '--button-color': `var(--mantine-color-${color}-light-color)`,
  } as CSSProperties;
  return (
    <button type="button" className={`mantine-focus-auto ${classes.button}`} style={style} onClick={onClick} aria-label={ariaLabel}>
      {children}
    </button>
  );
}

export function DenseGroup({ children }: { children: ReactNode }) {
  return <div className={classes.group}>{children}</div>;
}

export const denseClasses = classes;
