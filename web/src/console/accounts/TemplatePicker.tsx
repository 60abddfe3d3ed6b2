// Chooses one of the lender's saved column mappings and applies it to the
// file's columns, above the mapping table of the import wizard.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import type { EntityId, ImportMapping, ImportPreview } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { applyTemplate, listImportTemplates, type ImportTemplate } from './templates';

interface TemplatePickerProps {
  api: ApiClient;
  lenderId: EntityId;
  preview: ImportPreview;
  onMappingChange: (mapping: ImportMapping) => void;
}

export function TemplatePicker(props: TemplatePickerProps) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<ImportTemplate[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [chosen, setChosen] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setTemplates(null);
    setFailed(false);
    listImportTemplates(props.api, props.lenderId).then(
      (list) => {
        if (current) setTemplates(list);
      },
      () => {
        if (current) setFailed(true);
      },
    );
    return () => {
      current = false;
    };
  }, [props.api, props.lenderId]);

  if (failed) return <p class="notice">{t('import.templatesFailed')}</p>;
  if (templates === null || templates.length === 0) return null;

  const apply = () => {
    const template = templates.find((candidate) => candidate.id === chosen);
    if (template === undefined) {
      props.onMappingChange([...props.preview.mapping]);
      setMessage(null);
      return;
    }
    const applied = applyTemplate(props.preview.headers, props.preview.mapping, template);
    props.onMappingChange(applied.mapping);
    const unknown =
      applied.unknownHeaders.length > 0
        ? ` ${t('import.templateUnknownHeaders', { headers: applied.unknownHeaders.join(', ') })}`
        : '';
    setMessage(`${t('import.templateApplied', { name: template.name })}${unknown}`);
  };

  return (
    <div class="template-picker">
      <div class="form-field">
        <label for="import-template-choice">{t('import.useTemplate')}</label>
        <select
          id="import-template-choice"
          class="select"
          value={chosen}
          onChange={(event) => setChosen(event.currentTarget.value)}
        >
          <option value="">{t('import.useTemplateNone')}</option>
          {templates.map((template) => (
            <option key={template.id} value={template.id}>
              {template.name}
            </option>
          ))}
        </select>
      </div>
      <button type="button" class="button" onClick={apply}>
        {t('import.applyTemplate')}
      </button>
      <p role="status" class="hint">
        {message}
      </p>
    </div>
  );
}
