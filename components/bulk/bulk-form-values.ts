import type { GrantFormValues } from '@/components/mint/grant-fields';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import { defaultSessionMinutes } from '@/lib/shared/tokens/mint-defaults';

/**
 * The bulk form's values: the bulk schema's shape, with both kinds of source kept while the member
 * switches between them (the schema keeps only the chosen kind's fields).
 */
export interface BulkFormValues extends GrantFormValues {
  roomArn: string;
  source: { kind: 'template' | 'csv'; template: string; start: number; count: number; csv: string };
}

export function bulkFormDefaults(policy: RolePolicy): BulkFormValues {
  return {
    roomArn: '',
    capabilities: policy.capabilities.includes('SEND_MESSAGE') ? ['SEND_MESSAGE'] : [],
    sessionDurationInMinutes: defaultSessionMinutes(policy.maxSessionMinutes),
    reason: '',
    source: { kind: 'template', template: 'qa-{n}', start: 1, count: 100, csv: '' },
  };
}
