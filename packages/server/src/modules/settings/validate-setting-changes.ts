import { settingDefinitions, TIMEZONE_SETTING_KEY, type TIssue, type TJsonValue, type TSettingChange } from '@ums/contract';
import { AppError } from '../../app-error.ts';
import { checkSettingValue, isAcceptedSettingValue } from './check-setting-value.ts';

/** A change that passed the catalog's checks. */
export interface ValidSettingChange {
  key: string;
  value: TJsonValue;
  isPublic?: boolean | undefined;
}

export type ChangeField = 'key' | 'value' | 'isPublic';

/** Where a problem with the change at `index` is reported, and how it reads. */
export type IssueFor = (index: number, field: ChangeField, problem: string) => TIssue;

/**
 * Checks a whole batch against the catalog before anything is written, and reports every failing change (one
 * issue each), so a batch is all or nothing and the caller can fix every key in one round.
 */
export function validateSettingChanges(changes: readonly TSettingChange[], issueFor: IssueFor): ValidSettingChange[] {
  const issues: TIssue[] = [];
  const valid: ValidSettingChange[] = [];
  const seen = new Set<string>();
  changes.forEach((change, index) => {
    const definition = settingDefinitions.get(change.key);
    if (!definition) {
      issues.push(issueFor(index, 'key', 'unknown setting key'));
      return;
    }
    if (seen.has(change.key)) {
      issues.push(issueFor(index, 'key', 'appears more than once in the batch'));
      return;
    }
    seen.add(change.key);
    const { value } = change;
    if (!isAcceptedSettingValue(definition, value)) {
      issues.push(issueFor(index, 'value', checkSettingValue(definition, value) ?? 'is not accepted'));
      return;
    }
    // The timezone is a profile field; its visibility is the catalog's and cannot be changed per user.
    if (change.key === TIMEZONE_SETTING_KEY && change.isPublic !== undefined && change.isPublic !== definition.isPublic) {
      issues.push(issueFor(index, 'isPublic', 'the visibility of timezone cannot be changed'));
      return;
    }
    valid.push({ key: change.key, value, isPublic: change.isPublic });
  });
  if (issues.length > 0) throw new AppError('BAD_REQUEST', 'Some settings were not accepted; nothing was changed', { issues });
  return valid;
}
