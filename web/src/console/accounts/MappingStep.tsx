// Step 2 of the import: one row per column of the file, with sample values and
// the Ronda field that the column fills.

import type { ImportFieldOption, ImportMapping, ImportPreview, FieldId } from '../../shared/types';
import { REQUIRED_IMPORT_FIELDS } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';

/** Number of sample values shown for each column. */
const SAMPLE_VALUES_PER_COLUMN = 3;

export interface MappingIssues {
  /** Required fields that no column fills, in the order the server lists its fields. */
  missing: ImportFieldOption[];
  /** Fields chosen for more than one column, with the headers of those columns. */
  duplicates: Array<{ field: ImportFieldOption; headers: string[] }>;
}

/** Finds what keeps `mapping` from being sent: unmapped required fields and fields used twice. */
export function findMappingIssues(preview: ImportPreview, mapping: ImportMapping): MappingIssues {
  const labelOf = (field: FieldId): ImportFieldOption =>
    preview.fields.find((option) => option.field === field) ?? { field, label: field };

  const missing = REQUIRED_IMPORT_FIELDS.filter((field) => !mapping.includes(field)).map(labelOf);

  const headersByField = new Map<FieldId, string[]>();
  mapping.forEach((field, column) => {
    if (field === null) return;
    const headers = headersByField.get(field) ?? [];
    headers.push(preview.headers[column] ?? String(column + 1));
    headersByField.set(field, headers);
  });
  const duplicates = [...headersByField.entries()]
    .filter(([, headers]) => headers.length > 1)
    .map(([field, headers]) => ({ field: labelOf(field), headers }));

  return { missing, duplicates };
}

export function hasMappingIssues(issues: MappingIssues): boolean {
  return issues.missing.length > 0 || issues.duplicates.length > 0;
}

/** Returns up to a few distinct non-empty sample values of one column. */
function sampleValues(preview: ImportPreview, column: number): string[] {
  const values: string[] = [];
  for (const row of preview.sample) {
    const value = (row[column] ?? '').trim();
    if (value !== '' && !values.includes(value)) {
      values.push(value);
    }
    if (values.length === SAMPLE_VALUES_PER_COLUMN) break;
  }
  return values;
}

interface MappingStepProps {
  preview: ImportPreview;
  mapping: ImportMapping;
  onMappingChange: (mapping: ImportMapping) => void;
  templateName: string;
  onTemplateNameChange: (name: string) => void;
  lenderName: string;
}

export function MappingStep(props: MappingStepProps) {
  const { preview, mapping } = props;
  const { t } = useI18n();
  const issues = findMappingIssues(preview, mapping);

  const choose = (column: number, value: string) => {
    const option = preview.fields.find((candidate) => candidate.field === value);
    const next = [...mapping];
    next[column] = option ? option.field : null;
    props.onMappingChange(next);
  };

  return (
    <div class="mapping-step">
      <p>{t('import.mappingIntro')}</p>
      <div class="table-scroll">
        <table class="data-table mapping-table">
          <thead>
            <tr>
              <th scope="col">{t('import.colHeader')}</th>
              <th scope="col">{t('import.colSample')}</th>
              <th scope="col">{t('import.colField')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.headers.map((header, column) => {
              const samples = sampleValues(preview, column);
              const selectId = `mapping-field-${column}`;
              return (
                <tr key={column}>
                  <th scope="row">{header}</th>
                  <td class="mapping-table__samples">
                    {samples.length === 0 ? (
                      <span class="muted">{t('import.noSample')}</span>
                    ) : (
                      <ul class="plain-list">
                        {samples.map((value) => (
                          <li key={value}>{value}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td class="mapping-table__field">
                    <label for={selectId} class="visually-hidden">
                      {t('import.fieldFor', { header })}
                    </label>
                    <select
                      id={selectId}
                      class="select"
                      value={mapping[column] ?? ''}
                      aria-invalid={issues.duplicates.some((duplicate) => duplicate.field.field === mapping[column])}
                      onChange={(event) => choose(column, event.currentTarget.value)}
                    >
                      <option value="">{t('import.customField')}</option>
                      {preview.fields.map((option) => (
                        <option key={option.field} value={option.field}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <MappingWarnings issues={issues} />

      <div class="form-field mapping-step__template">
        <label for="import-template-name">{t('import.template')}</label>
        <input
          id="import-template-name"
          type="text"
          autocomplete="off"
          aria-describedby="import-template-hint"
          value={props.templateName}
          onInput={(event) => props.onTemplateNameChange(event.currentTarget.value)}
        />
        <p id="import-template-hint" class="hint">
          {t('import.templateHint', { lender: props.lenderName })}
        </p>
      </div>
    </div>
  );
}

/** Live region that lists what must change before the review can run. */
export function MappingWarnings(props: { issues: MappingIssues }) {
  const { t } = useI18n();
  const { missing, duplicates } = props.issues;
  return (
    <div id="mapping-warnings" role="status" class="mapping-warnings">
      {missing.length > 0 ? (
        <p class="notice">
          {t('import.missingRequired', { fields: missing.map((option) => option.label).join(', ') })}
        </p>
      ) : null}
      {duplicates.map((duplicate) => (
        <p key={duplicate.field.field} class="notice">
          {t('import.duplicateField', { field: duplicate.field.label, headers: duplicate.headers.join(', ') })}
        </p>
      ))}
    </div>
  );
}
