import { describe, expect, it } from 'vitest';
import { bulkEndState, bulkRowErrorText } from './outcome';
import { sourceToRows, validateBulkRows } from './schema';

describe('bulkEndState', () => {
  it('says a run with failures finished with both counts, in a colour that is not success', () => {
    expect(bulkEndState({ status: 'completed', total: 500, issued: 480, failed: 20 })).toEqual({
      label: 'Finished: 480 issued, 20 failed',
      color: 'orange',
      partial: true,
    });
  });
  it('is green only when every row was issued', () => {
    expect(bulkEndState({ status: 'completed', total: 500, issued: 500, failed: 0 })).toMatchObject({
      label: 'Finished: all 500 issued',
      color: 'green',
    });
    expect(bulkEndState({ status: 'completed', total: 3, issued: 0, failed: 3 })).toMatchObject({ color: 'red' });
  });
  it('counts rows never attempted', () => {
    expect(bulkEndState({ status: 'stopped', total: 10, issued: 4, failed: 1 }).label).toBe('Stopped: 4 issued, 1 failed, 5 not attempted');
    expect(bulkEndState({ status: 'cancelled', total: 10, issued: 4, failed: 0 }).label).toBe('Cancelled: 4 issued, 6 not attempted');
  });
});

describe('bulkRowErrorText', () => {
  const message =
    "AWS refused CreateChatToken: the console's credentials are not allowed to mint tokens (IAM action ivschat:CreateChatToken, AccessDeniedException). Nothing was changed.";
  it('does not repeat an exception the message already names', () => {
    expect(bulkRowErrorText({ errorCode: 'AWS_ERROR', awsCode: 'AccessDeniedException', errorMessage: message })).toBe(message);
    expect(bulkRowErrorText({ errorCode: 'AWS_ERROR', awsCode: 'AccessDeniedException', errorMessage: message })).not.toMatch(
      /^AccessDeniedException:/,
    );
  });
  it('adds the code once when the message lacks it', () => {
    expect(bulkRowErrorText({ errorCode: 'INTERNAL', awsCode: null, errorMessage: 'Something went wrong.' })).toBe(
      'Something went wrong. (INTERNAL)',
    );
  });
});

describe('duplicate userIds', () => {
  const shared = {
    roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
    capabilities: [],
    sessionDurationInMinutes: 5,
    reason: '',
  };
  it('are flagged before start, at the later line, naming the earlier one', () => {
    const rows = sourceToRows({ kind: 'csv', csv: 'userId\nann\nbob\nann\n' });
    if (!rows.ok) throw new Error('not parsed');
    const { errors, invalidRows } = validateBulkRows(shared, rows.rows);
    expect(invalidRows).toBe(1);
    expect(errors).toEqual([{ row: 3, line: 4, field: 'userId', message: '"ann" is also on line 2: each row needs its own userId.' }]);
  });
  it('are exact: a different case or spacing is another userId', () => {
    const rows = sourceToRows({ kind: 'csv', csv: 'userId\nann\nAnn\n' });
    if (!rows.ok) throw new Error('not parsed');
    expect(validateBulkRows(shared, rows.rows).invalidRows).toBe(0);
  });
});
