import type { Metadata } from 'next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { PresetManager } from '@/components/presets/preset-manager';
import { getPolicy, permissionRule, roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { listPresets } from '@/lib/presets/store';

export const metadata: Metadata = { title: 'Presets' };

export default async function PresetsPage() {
  const staff = await requireStaff('/presets');
  if (!roleCan(staff.role, 'presets.manage')) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not manage presets ({permissionRule(staff.role, 'presets.manage')}).
      </Alert>
    );
  }
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Mint presets
        </Title>
        <Text c="dimmed" size="sm">
          Named settings the mint form fills with one click. The form offers a preset only to the roles it names and only when the role’s
          policy allows everything in it; the policy and the 1 KB attribute limit still apply at mint time. Changes are recorded in the
          audit log.
        </Text>
      </div>
      <PresetManager presets={await listPresets()} policies={getPolicy().roles} />
    </Stack>
  );
}
