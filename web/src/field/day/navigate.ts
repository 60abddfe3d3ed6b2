// Links that hand navigation to the phone's maps app.

import type { DayAccount, DayAddress } from '../../shared/field-api';

/** Returns the debtor's name, or the lender's account number when the file named no debtor. */
export function debtorName(account: DayAccount): string {
  return account.debtor_name ?? account.lender_account_id;
}

export function addressLine(address: DayAddress): string {
  const street = [address.street, address.exterior_number, address.interior_number ? `int. ${address.interior_number}` : null]
    .filter((part) => part !== null && part !== '')
    .join(' ');
  const line = [street, address.colonia, address.municipality, address.state, address.postal_code]
    .filter((part) => part !== null && part !== '')
    .join(', ');
  return line === '' ? address.original_text : line;
}

export function bestPoint(address: DayAddress): { latitude: number; longitude: number } | null {
  return address.verified_point ?? address.point;
}

/**
 * Builds a maps URL for the address: the verified or geocoded point when
 * there is one, the written address otherwise. Android opens it in Google Maps, and
 * other phones in their browser's maps page.
 */
export function navigationUrl(address: DayAddress, android: boolean): string {
  const point = bestPoint(address);
  if (android && point !== null) {
    return `geo:${point.latitude},${point.longitude}?q=${point.latitude},${point.longitude}`;
  }
  const destination = point === null ? addressLine(address) : `${point.latitude},${point.longitude}`;
  return `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}`;
}

export function isAndroid(): boolean {
  return typeof navigator !== 'undefined' && /Android/i.test(navigator.userAgent);
}
