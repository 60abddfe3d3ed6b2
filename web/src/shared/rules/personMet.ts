// The person-met gate. Mirrors crates/ronda-domain/src/portfolio/person_met.rs.
//
// Collecting, a promise to pay or an agreement is only possible with the debtor or a
// guarantor (co-obligor). Record a debtor as 'debtor' whatever their age, and record
// 'minor' or 'older_adult' for anyone else of that age, including a guarantor.

export type PersonMet = 'debtor' | 'guarantor' | 'third_party' | 'reference' | 'minor' | 'older_adult';

export type CollectionAction = 'collect' | 'promise_to_pay' | 'agreement';

export type PersonMetRefusal = 'not_obligated' | 'minor' | 'older_adult_not_debtor';

/** Returns null when `action` is allowed with `person`, otherwise the refusal reason. */
export function checkPersonMet(person: PersonMet, action: CollectionAction): PersonMetRefusal | null {
  // Every action is a form of collecting, so the rule depends only on the person.
  void action;
  switch (person) {
    case 'debtor':
    case 'guarantor':
      return null;
    case 'third_party':
    case 'reference':
      return 'not_obligated';
    case 'minor':
      return 'minor';
    case 'older_adult':
      return 'older_adult_not_debtor';
  }
}
