// Saved column mappings of a lender ("plantillas"): reading them and applying
// one to a new file, whose columns may come in another order.

import type { ApiClient } from '../../shared/api';
import type { EntityId, FieldId, ImportMapping } from '../../shared/types';

export interface TemplateColumn {
  /** Null for templates saved before headers were kept; those apply by position. */
  header: string | null;
  field: FieldId | null;
}

export interface ImportTemplate {
  id: string;
  name: string;
  columns: TemplateColumn[];
}

export async function listImportTemplates(api: ApiClient, lenderId: EntityId): Promise<ImportTemplate[]> {
  const answer = await api.request<{ templates: ImportTemplate[] }>(
    'GET',
    `/api/lenders/${encodeURIComponent(String(lenderId))}/import-templates`,
  );
  return answer.templates;
}

/** Folds a header for comparison: no accents, no case, single spaces. */
export function foldHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export interface AppliedTemplate {
  mapping: ImportMapping;
  /** Headers of the file that the template does not know; they keep the suggestion. */
  unknownHeaders: string[];
}

/**
 * Applies a template to a file's headers. A header found in the template takes the
 * template's field; any other keeps the suggested field unless the template
 * already uses it elsewhere. A template without headers applies by position,
 * and only to a file with the same number of columns.
 */
export function applyTemplate(
  headers: readonly string[],
  suggested: ImportMapping,
  template: ImportTemplate,
): AppliedTemplate {
  const positional = template.columns.every((column) => column.header === null);
  if (positional) {
    if (template.columns.length !== headers.length) {
      return { mapping: [...suggested], unknownHeaders: [...headers] };
    }
    return { mapping: template.columns.map((column) => column.field), unknownHeaders: [] };
  }
  const known = new Map<string, FieldId | null>();
  for (const column of template.columns) {
    if (column.header !== null) known.set(foldHeader(column.header), column.field);
  }
  const unknownHeaders: string[] = [];
  const mapping: ImportMapping = headers.map((header) => {
    const folded = foldHeader(header);
    if (known.has(folded)) return known.get(folded) ?? null;
    unknownHeaders.push(header);
    return null;
  });
  const used = new Set(mapping.filter((field): field is FieldId => field !== null));
  headers.forEach((header, column) => {
    if (!unknownHeaders.includes(header)) return;
    const field = suggested[column] ?? null;
    if (field !== null && !used.has(field)) {
      mapping[column] = field;
      used.add(field);
    }
  });
  return { mapping, unknownHeaders };
}
