import { createTheme, darken, DEFAULT_THEME, lighten, luminance, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'violet',
  defaultRadius: 'md',
  // Filled badges and buttons take black or white text, whichever contrasts more with their colour:
  // white on green-6 is 2.4:1 (a "completed" badge), on dark's green-8 3.4:1. 0.179 is where the two are equal.
  autoContrast: true,
  luminanceThreshold: 0.179,
  components: {
    // A link inside a sentence must not be told apart by colour alone (WCAG 1.4.1; axe link-in-text-block).
    Anchor: { defaultProps: { underline: 'always' } },
  },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
});

/**
 * WCAG 2.1 AA asks 4.5:1 of text under 18.66 px bold / 24 px (badges, help text and table cells are
 * all small); the headroom keeps a tinted surface a step away (striped rows, hover) above it too.
 */
const TARGET = 4.7;

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` darkened in small steps until it reaches `target` against `background`. */
export function darkenTo(color: string, background: string, target = TARGET): string {
  let out = color;
  for (let step = 0; contrast(out, background) < target && step < 40; step++) out = darken(color, (step + 1) * 0.025);
  return out;
}

/** `color` lightened in small steps until it reaches `target` against `background` (dark surfaces). */
export function lightenTo(color: string, background: string, target = TARGET): string {
  let out = color;
  for (let step = 0; contrast(out, background) < target && step < 40; step++) out = lighten(color, (step + 1) * 0.025);
  return out;
}

const colorsOf = (): Record<string, MantineColorsTuple> =>
  ({ ...DEFAULT_THEME.colors, ...theme.colors }) as Record<string, MantineColorsTuple>;

/**
 * Mantine's defaults miss AA in places the console uses everywhere, so they are fixed here once
 * rather than element by element:
 *  - dimmed text (help text, descriptions, secondary cells): light gray-6 is 3.3:1 on white and dark
 *    dark-2 is 4.03:1 on dark-7; gray-7 and dark-1 pass on every surface of each scheme;
 *  - light-variant text (badges, alerts, light buttons): color-9 on color-1 is 3.8:1 for green and
 *    lower for yellow, orange, lime, teal and cyan, so each light color is darkened until it passes
 *    on its own tint (checked in contrast tests against every theme color);
 *  - coloured text and outline badges (color-6 in light, color-4 in dark) on the striped rows;
 *  - anchors and error text in light (violet-6 links on the gray striped rows, red-6 errors) and
 *    links in dark on the dark-6 rows.
 */
function resolveVariables(): ReturnType<CSSVariablesResolver> {
  const colors = colorsOf();
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
    '--mantine-color-anchor': 'var(--mantine-color-violet-8)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  };
  for (const [name, shades] of Object.entries(colors)) {
    if (name === 'dark') continue;
    // The light variant draws color-9 text on a color-1 tint (badges, alerts), and the striped gray-0 rows around it.
    const onTint = darkenTo(shades[9], shades[1]);
    if (onTint !== shades[9]) light[`--mantine-color-${name}-light-color`] = onTint;
    // `c="<color>"` text and outline badges are color-6 on white or gray-0 rows.
    const text = darkenTo(shades[6], colors.gray[0]);
    if (text !== shades[6]) {
      light[`--mantine-color-${name}-text`] = text;
      light[`--mantine-color-${name}-outline`] = text;
    }
  }
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-anchor': 'var(--mantine-color-violet-3)',
    '--mantine-color-placeholder': 'var(--mantine-color-dark-2)',
    '--mantine-color-error': 'var(--mantine-color-red-5)',
  };
  for (const [name, shades] of Object.entries(colors)) {
    if (name === 'dark') continue;
    // In dark, `c="<color>"` text and outline badges are color-4, on the body or the dark-6 striped rows.
    const text = lightenTo(shades[4], colors.dark[6]);
    if (text !== shades[4]) {
      dark[`--mantine-color-${name}-text`] = text;
      dark[`--mantine-color-${name}-outline`] = text;
    }
  }
  return { variables: {}, light, dark };
}

const RESOLVED = resolveVariables();
/** Computed once: the palette does not change at run time. */
export const cssVariablesResolver: CSSVariablesResolver = () => RESOLVED;
