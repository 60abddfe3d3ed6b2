// Turns API failures into text for the user.

import { ApiError, NETWORK_ERROR, UNEXPECTED_RESPONSE } from './api';
import { isMessageKey, type MessageKey } from './i18n';

type Translate = (key: MessageKey) => string;

/**
 * Returns the message to show for a failed request. Known error codes use the
 * UI's own wording. Other codes show the server's message, which the server
 * already localized from the request's `Accept-Language` header.
 */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (isMessageKey(key)) {
      return t(key);
    }
    if (error.message !== '') {
      return error.message;
    }
    return t(`error.${UNEXPECTED_RESPONSE}`);
  }
  return t(`error.${UNEXPECTED_RESPONSE}`);
}

export function isNetworkError(error: unknown): boolean {
  return error instanceof ApiError && error.code === NETWORK_ERROR;
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
