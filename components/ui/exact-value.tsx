import { Fragment } from 'react';
import { DenseText } from '@/components/ui/dense';

// Characters a reader cannot see or tell apart from a plain space, each shown as a mark.
const MARKED = /( |\u00A0|\t|[\u2000-\u200D\u2028\u2029\u202F\u205F\u2060\u3000\uFEFF])/u;

const codeOf = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * A value shown exactly as stored (userIds and the like): every space keeps its width and is
 * marked, and other blank or invisible characters are named, so `" ann "` never reads as `ann`.
 * The marks are styling only (app/globals.css): the copied text is the value itself.
 */
export function ExactValue({ value, testId }: { value: string; testId?: string }) {
  const parts = value.split(MARKED);
  const edges =
    value !== value.trim() ? (/^\s/.test(value) && /\s$/.test(value) ? 'starts and ends' : /^\s/.test(value) ? 'starts' : 'ends') : null;
  return (
    <span data-testid={testId} className="exact-value" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'break-word' }}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          part === ' ' ? (
            <span key={i} data-exact-space="" className="exact-space" title="a space">
              {' '}
            </span>
          ) : (
            <span key={i} data-exact-space="" data-code={codeOf(part)} className="exact-space exact-invisible" title={codeOf(part)}>
              {part}
            </span>
          )
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
      {edges && (
        <DenseText span size="xs" className="exact-edge-note" data-testid="exact-edge-note">
          {' '}
          ({edges} with a space)
        </DenseText>
      )}
    </span>
  );
}
