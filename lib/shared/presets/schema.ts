import { z } from 'zod';
import { ROLES } from '@/lib/shared/policy/roles';
import { nameProblem } from '@/lib/shared/text';
import { attributesSchema, capabilitiesSchema, durationSchema, reasonSchema, roomArnSchema } from '@/lib/shared/tokens/schema';

/** A mint preset: a named set of grants that roles may start the mint form from. */
export const presetSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the preset.')
    .max(80, 'A preset name is at most 80 characters.')
    .superRefine((s, ctx) => {
      const problem = nameProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: `The preset name ${problem}.` });
    }),
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role.'),
  /** Empty: the form keeps its room. */
  roomArn: z
    .union([z.literal(''), roomArnSchema])
    .optional()
    .default(''),
  capabilities: z._default(capabilitiesSchema, []),
  sessionDurationInMinutes: durationSchema,
  attributes: z._default(attributesSchema, []),
  reasonTemplate: z._default(z.optional(reasonSchema), ''),
});
export type PresetInput = z.input<typeof presetSchema>;
export type PresetRequest = z.output<typeof presetSchema>;

/** A preset as the browser sees it. */
export interface Preset extends PresetRequest {
  id: string;
  updatedAt: string;
  updatedBy: string;
}
