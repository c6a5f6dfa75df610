'use client';

import { Controller, useFormState, useWatch, type Control, type FieldValues } from 'react-hook-form';
import { Divider, Textarea } from '@mantine/core';
import { reasonRequired, type RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import { REASON_LIMITS, type Capability } from '@/lib/shared/tokens/limits';
import { AttributesEditor, type AttributesFormValues } from './attributes-editor';
import { CapabilitiesField } from './capabilities-field';
import { DurationField } from './duration-field';

/** What a token grants, as every minting form holds it (the mint schema's field names). */
export interface GrantFormValues {
  capabilities: Capability[];
  sessionDurationInMinutes: number;
  reason: string;
}

/**
 * The grant part of the mint and bulk forms: attributes (mint only; bulk rows bring their own),
 * capabilities, the session slider and the reason, with the role's policy shown where it limits them.
 */
export function GrantFields<T extends FieldValues & GrantFormValues, C, O extends FieldValues>({
  control: formControl,
  policy,
  role,
  disabled,
  attributes,
  auditNote,
  reasonHint,
}: {
  control: Control<T, C, O>;
  policy: RolePolicy;
  role: Role;
  disabled?: boolean;
  /** Show the attributes editor (the form's values then hold `attributes` rows too). */
  attributes?: boolean;
  /** Where the reason is kept, e.g. "with the mint". */
  auditNote: string;
  /** What the reason is for when the policy does not require one. */
  reasonHint: string;
}) {
  // react-hook-form cannot see through an open T that these are its paths; the constraint on T is
  // what makes this view of the same control sound.
  const control = formControl as unknown as Control<GrantFormValues & AttributesFormValues>;
  const { errors } = useFormState({ control, name: 'reason' });
  const capabilities = useWatch({ control, name: 'capabilities' }) ?? [];
  const needReason = reasonRequired(policy, capabilities);
  return (
    <>
      {attributes && (
        <>
          <AttributesEditor control={control} disabled={disabled} />
          <Divider />
        </>
      )}
      <Controller
        control={control}
        name="capabilities"
        render={({ field, fieldState }) => (
          <CapabilitiesField
            value={field.value}
            onChange={field.onChange}
            error={fieldState.error?.message}
            disabled={disabled}
            role={role}
            allowed={policy.capabilities}
            reasonFor={policy.reasonRequiredFor}
          />
        )}
      />
      <Controller
        control={control}
        name="sessionDurationInMinutes"
        render={({ field, fieldState }) => (
          <DurationField
            value={field.value}
            onChange={field.onChange}
            error={fieldState.error?.message}
            disabled={disabled}
            max={policy.maxSessionMinutes}
            role={role}
          />
        )}
      />
      <Textarea
        label="Reason"
        description={
          needReason.length
            ? `Required by policy to grant ${needReason.join(', ')} (roles.${role}.reasonRequiredFor). Kept in the audit log ${auditNote}.`
            : `${reasonHint} Kept in the audit log ${auditNote}.`
        }
        required={needReason.length > 0}
        // Two rows the reader can drag taller, not autosize: autosize measures the field (a forced
        // layout) on every render of the form, and the form renders several times per mint.
        rows={2}
        resize="vertical"
        maxLength={REASON_LIMITS.max}
        disabled={disabled}
        {...control.register('reason')}
        error={errors.reason?.message}
      />
    </>
  );
}
