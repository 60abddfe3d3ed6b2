// The console's Visits section: the filtered list at `#/visits`, and one
// visit's evidence at `#/visits/{id}`.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import type { Role } from '../../shared/types';
import { visitIdFromHash } from './format';
import { VisitPage } from './VisitPage';
import { VisitsList } from './VisitsList';
import './visits.css';

export function VisitsPage(props: { api: ApiClient; role: Role }) {
  const [visitId, setVisitId] = useState(() => visitIdFromHash(location.hash));

  useEffect(() => {
    const onHashChange = () => setVisitId(visitIdFromHash(location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  if (visitId !== null) {
    return <VisitPage api={props.api} role={props.role} visitId={visitId} />;
  }
  return <VisitsList api={props.api} />;
}
