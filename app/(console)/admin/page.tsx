import type { Metadata } from 'next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { ApiKeyManager } from '@/components/admin/api-key-manager';
import { PolicyTable } from '@/components/admin/policy-table';
import { SignInRefusals } from '@/components/admin/sign-in-refusals';
import { StaffManager } from '@/components/admin/staff-manager';
import { listApiKeys, listServiceAccounts } from '@/lib/api-keys/store';
import { getPolicy, permissionRule, roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { listSignInRefusals, THROTTLE } from '@/lib/auth/sign-in-throttle';
import { listStaff } from '@/lib/auth/staff-store';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  const staff = await requireStaff('/admin');
  const mayManageStaff = roleCan(staff.role, 'staff.manage');
  const mayManageApiKeys = roleCan(staff.role, 'apikeys.manage');
  if (!mayManageStaff && !mayManageApiKeys) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not manage staff ({permissionRule(staff.role, 'staff.manage')}).
      </Alert>
    );
  }
  const [policy, members, apiKeys] = [getPolicy(), mayManageStaff ? await listStaff() : [], mayManageApiKeys ? await listApiKeys() : []];
  return (
    <Stack gap="xl">
      <div>
        <Title order={1} size="h2">
          Admin
        </Title>
        <Text c="dimmed" size="sm">
          The effective policy and the staff who may use the console. Every change is recorded in the audit log.
        </Text>
      </div>
      <PolicyTable policy={policy} source={env.POLICY_FILE} />
      {mayManageStaff && <StaffManager members={members} selfId={staff.id} />}
      {mayManageStaff && (
        <SignInRefusals
          refusals={await listSignInRefusals(50)}
          figures={`Throttling: ${THROTTLE.accountFreeAttempts} failed attempts per email and ${THROTTLE.clientFreeAttempts} per client address, then a wait of ${THROTTLE.firstDelaySeconds} s doubling with each failure, at most ${THROTTLE.maxDelaySeconds / 60} minutes.`}
        />
      )}
      {mayManageApiKeys && (
        <ApiKeyManager
          apiKeys={apiKeys}
          serviceAccounts={await listServiceAccounts()}
          members={(await listStaff()).filter((m) => !m.disabled).map((m) => m.email)}
          selfEmail={staff.email}
        />
      )}
    </Stack>
  );
}
