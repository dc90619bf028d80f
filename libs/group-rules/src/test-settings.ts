// Spec support: settings written as an admin would write them, through validateGroupSettings, so specs
// exercise the same path as real configuration.
import type { GroupSettings } from './settings';
import { validateGroupSettings } from './validate';

export function settingsFrom(json: object): GroupSettings {
  const result = validateGroupSettings(json);
  if (!result.ok) throw new Error(`invalid test settings: ${JSON.stringify(result.errors)}`);
  return result.settings;
}
