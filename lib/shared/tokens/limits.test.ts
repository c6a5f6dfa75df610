import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIMITS_PATH, MODEL_PATH, renderLimits } from '@/scripts/gen-limits';

describe('limits.generated.ts', () => {
  it('is what scripts/gen-limits.ts makes from the model (run it after changing the model)', () => {
    expect(readFileSync(LIMITS_PATH, 'utf8')).toBe(renderLimits(readFileSync(MODEL_PATH, 'utf8')));
  });
});
