// Console sections and their hash routes (`#/visits`). Route ids stay in
// English so that links keep working when the UI language changes.

import type { MessageKey } from '../shared/i18n';
import type { Role } from '../shared/types';

export type SectionId = 'today' | 'visits' | 'accounts' | 'agents' | 'forms' | 'reports' | 'settings' | 'users';

export interface Section {
  id: SectionId;
  labelKey: MessageKey;
  /** Roles that see the section, or `null` for every console role. */
  roles: readonly Role[] | null;
}

export const SECTIONS: readonly Section[] = [
  { id: 'today', labelKey: 'section.today', roles: null },
  { id: 'visits', labelKey: 'section.visits', roles: null },
  { id: 'accounts', labelKey: 'section.accounts', roles: null },
  { id: 'agents', labelKey: 'section.agents', roles: null },
  { id: 'forms', labelKey: 'section.forms', roles: null },
  { id: 'reports', labelKey: 'section.reports', roles: null },
  { id: 'settings', labelKey: 'section.settings', roles: null },
  { id: 'users', labelKey: 'section.users', roles: ['admin'] },
];

export const DEFAULT_SECTION: SectionId = 'today';

export function sectionsForRole(role: Role): Section[] {
  return SECTIONS.filter((section) => section.roles === null || section.roles.includes(role));
}

/** Maps a location hash to a section the role may open, falling back to the default. */
export function sectionFromHash(hash: string, role: Role): SectionId {
  // `#/visits/{id}` opens the Visits section, which reads the rest itself.
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  const match = sectionsForRole(role).find((section) => section.id === id);
  return match ? match.id : DEFAULT_SECTION;
}

export function hashForSection(id: SectionId): string {
  return `#/${id}`;
}
