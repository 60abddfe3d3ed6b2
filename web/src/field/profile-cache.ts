// Last signed-in user and organization, kept on the device so that the field
// app can show its shell while offline. The CSRF token is not stored: it is
// fetched again with the session once the device is back online.

import type { Organization, Session, User } from '../shared/types';

const STORAGE_KEY = 'ronda.field.profile';

export interface CachedProfile {
  user: User;
  organization: Organization;
}

export function saveProfile(session: Session): void {
  const profile: CachedProfile = { user: session.user, organization: session.organization };
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(profile));
  } catch {
    // Without storage the app still works online, but it cannot start offline.
  }
}

export function loadProfile(): CachedProfile | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) {
      return null;
    }
    const parsed = JSON.parse(raw) as Partial<CachedProfile>;
    if (typeof parsed.user?.name !== 'string' || typeof parsed.organization?.name !== 'string') {
      return null;
    }
    return parsed as CachedProfile;
  } catch {
    return null;
  }
}

export function clearProfile(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored if storage is unavailable.
  }
}
