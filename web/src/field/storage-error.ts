// Turns IndexedDB failures into a reason the agent can act on. The browser's
// own text is English and technical, so it goes to the console instead.

import type { MessageKey } from '../shared/i18n';

/**
 * Returns the message key of the reason for a failed read or write of the
 * device database, from the DOMException name the browser raised.
 */
export function storageErrorKey(error: unknown): MessageKey {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'QuotaExceededError':
      return 'field.storageError.quota';
    // Raised when site data is blocked, as in some browsers' private mode.
    case 'SecurityError':
    case 'InvalidAccessError':
      return 'field.storageError.blocked';
    case 'VersionError':
      return 'field.storageError.version';
    default:
      return 'field.storageError.other';
  }
}

/** Logs the browser's error for support and returns the message key to show. */
export function reportStorageError(context: string, error: unknown): MessageKey {
  console.error(context, error);
  return storageErrorKey(error);
}
