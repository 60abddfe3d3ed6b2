// Writes every unsent record, with its photos and signatures, and the shifts
// and positions not uploaded yet, to one JSON file the agent can hand over
// when the phone cannot reach the server.

import type { PositionFix } from '../../shared/field-api';
import type { Outbox, VisitRecord } from '../storage/outbox';
import type { ShiftRecord, TrackingStore } from '../storage/tracking';

export interface ExportedAttachment {
  sha256: string;
  content_type: string;
  data_base64: string;
}

export interface ExportFile {
  format: 'ronda.field.pending';
  version: 2;
  exported_at: number;
  visits: Array<{ record: VisitRecord; attachments: ExportedAttachment[] }>;
  /** Shifts whose last change has not reached the server. */
  shifts: ShiftRecord[];
  /** Recorded positions not uploaded yet, oldest first. */
  positions: PositionFix[];
}

function base64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export async function buildExport(outbox: Outbox, tracking: TrackingStore, now: number): Promise<ExportFile> {
  const visits = [];
  for (const record of await outbox.unsent()) {
    const attachments: ExportedAttachment[] = [];
    for (const ref of record.attachments) {
      const blob = await outbox.blob(ref.sha256);
      if (blob !== undefined) {
        attachments.push({ sha256: blob.sha256, content_type: blob.content_type, data_base64: base64(blob.data) });
      }
    }
    visits.push({ record, attachments });
  }
  const shifts = await tracking.unsyncedShifts();
  const count = await tracking.countPositions();
  const positions = count === 0 ? [] : (await tracking.positionBatch(count)).fixes;
  return { format: 'ronda.field.pending', version: 2, exported_at: now, visits, shifts, positions };
}

export function downloadJson(file: ExportFile): void {
  const blob = new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `ronda-pendientes-${new Date(file.exported_at).toISOString().replace(/[:.]/g, '-')}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
