'use client';

import { useFieldArray, useFormState, useWatch, type Control, type FieldValues } from 'react-hook-form';
import { ActionIcon, Button, Group, Progress, Stack, Text, TextInput } from '@mantine/core';
import { attributesByteSize, type AttributeRow } from '@/lib/shared/tokens/attributes';
import { ATTRIBUTES_MAX_BYTES, ATTRIBUTES_WARN_BYTES } from '@/lib/shared/tokens/limits';

/** A form with the mint schema's attribute rows (mint, bulk, send event, presets). */
export interface AttributesFormValues {
  attributes: AttributeRow[];
}

/** The attribute rows of any form that has them, with the live 1 KB byte counter. */
export function AttributesEditor<T extends FieldValues & AttributesFormValues, C, O extends FieldValues>({
  control: formControl,
  disabled,
  description = 'Sent with every message this user sends.',
}: {
  control: Control<T, C, O>;
  disabled?: boolean;
  /** What the attributes are for in this form: a token's travel with each of its user's messages, an event's with that event. */
  description?: string;
}) {
  // react-hook-form cannot see through an open T that `attributes` is one of its paths; the
  // constraint on T is what makes this view of the same control sound.
  const control = formControl as unknown as Control<AttributesFormValues>;
  const { register } = control;
  const { errors } = useFormState({ control, name: 'attributes' });
  const { fields, append, remove } = useFieldArray({ control, name: 'attributes' });
  const rows = useWatch({ control, name: 'attributes' }) ?? [];
  const bytes = attributesByteSize(rows);
  const over = bytes > ATTRIBUTES_MAX_BYTES;
  const near = !over && bytes >= ATTRIBUTES_WARN_BYTES;
  const color = over ? 'red' : near ? 'yellow' : 'violet';
  const rowErrors = Array.isArray(errors.attributes) ? errors.attributes : [];
  const listError =
    (errors.attributes as { root?: { message?: string } } | undefined)?.root?.message ??
    (errors.attributes as { message?: string } | undefined)?.message;

  return (
    <Stack gap="xs" role="group" aria-labelledby="attributes-label">
      <Group justify="space-between" align="baseline">
        <div>
          <Text id="attributes-label" size="sm" fw={500}>
            Attributes
          </Text>
          <Text size="xs" c="dimmed">
            {description} At most {ATTRIBUTES_MAX_BYTES} bytes (UTF-8) over all keys and values.
          </Text>
        </div>
        <Text
          id="attributes-counter"
          size="sm"
          fw={600}
          c={over ? 'red.9' : near ? '#9c4a00' : 'dimmed'}
          aria-live="polite"
          data-state={over ? 'error' : near ? 'warning' : 'ok'}
        >
          {bytes} / {ATTRIBUTES_MAX_BYTES} bytes
        </Text>
      </Group>
      <Progress value={Math.min(100, (bytes / ATTRIBUTES_MAX_BYTES) * 100)} color={color} size="sm" aria-hidden="true" />
      {fields.map((field, index) => {
        const rowError = rowErrors[index] as { key?: { message?: string }; value?: { message?: string } } | undefined;
        return (
          <Group key={field.id} gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              aria-label={`Attribute ${index + 1} key`}
              placeholder="key"
              style={{ flex: 2 }}
              disabled={disabled}
              spellCheck={false}
              {...register(`attributes.${index}.key` as const)}
              error={rowError?.key?.message}
            />
            <TextInput
              aria-label={`Attribute ${index + 1} value`}
              placeholder="value"
              style={{ flex: 3 }}
              disabled={disabled}
              spellCheck={false}
              {...register(`attributes.${index}.value` as const)}
              error={rowError?.value?.message}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              mt={2}
              aria-label={`Remove attribute ${index + 1}`}
              onClick={() => remove(index)}
              disabled={disabled}
            >
              <span aria-hidden="true">✕</span>
            </ActionIcon>
          </Group>
        );
      })}
      {listError && (
        <Text size="sm" c="red" role="alert" id="attributes-error">
          {listError}
        </Text>
      )}
      <Button variant="light" size="xs" w="fit-content" onClick={() => append({ key: '', value: '' })} disabled={disabled}>
        Add attribute
      </Button>
    </Stack>
  );
}
