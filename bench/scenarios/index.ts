import { auditScenario } from './audit.ts';
import { baselineScenario } from './baseline.ts';
import { loginScenario } from './login.ts';
import { meScenarios } from './me.ts';
import { preferencesScenario } from './preferences.ts';
import { settingsScenarios } from './settings.ts';
import { statsScenario } from './stats.ts';
import type { Scenario } from './types.ts';
import { usersListScenarios } from './users-list.ts';

/** In running order: the baseline first, so every later figure has its reference. */
export const scenarios: Scenario[] = [
  baselineScenario,
  ...meScenarios,
  ...usersListScenarios,
  preferencesScenario,
  ...settingsScenarios,
  auditScenario,
  loginScenario,
  statsScenario,
];
