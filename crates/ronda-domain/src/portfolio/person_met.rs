//! The person-met gate: the collection steps an agent may take with the person met at the
//! address.
//!
//! Mexican rules for collection agencies forbid collecting from third parties, references,
//! minors, and older adults who are not the debtor. A guarantor or co-obligor may be asked
//! to pay, and a promise to pay or an agreement is only possible with the debtor or a
//! guarantor.

use serde::{Deserialize, Serialize};

/// The person an agent met during a contact attempt.
///
/// Record a debtor as [`PersonMet::Debtor`] whatever their age. Record
/// [`PersonMet::Minor`] and [`PersonMet::OlderAdult`] for anyone else of that age, including
/// a guarantor, because those protections take precedence over the person's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonMet {
    Debtor,
    /// A guarantor or co-obligor ("aval", "obligado solidario").
    Guarantor,
    /// Anyone else at the address: a relative, neighbour or employee.
    ThirdParty,
    /// A personal reference the debtor gave to the lender.
    Reference,
    /// A person under 18 who is not the debtor.
    Minor,
    /// A person 60 or older who is not the debtor.
    OlderAdult,
}

/// A collection step the agent wants to take with the person met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectionAction {
    /// Talk about the debt and ask for payment.
    Collect,
    /// Record a promise to pay (amount, date and payment channel).
    PromiseToPay,
    /// Record an agreement or restructuring proposal.
    Agreement,
}

/// The reason the gate refuses an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PersonMetRefusal {
    #[error("the person met is not obligated to pay: only the debtor or a guarantor may be asked")]
    NotObligated,
    #[error("the person met is a minor: no collection with minors")]
    Minor,
    #[error("the person met is an older adult who is not the debtor: no collection with them")]
    OlderAdultNotDebtor,
}

/// Checks whether `action` is allowed with `person`.
pub fn check_person_met(
    person: PersonMet,
    action: CollectionAction,
) -> Result<(), PersonMetRefusal> {
    // Every action is a form of collecting, so the rule depends only on the person.
    let _ = action;
    match person {
        PersonMet::Debtor | PersonMet::Guarantor => Ok(()),
        PersonMet::ThirdParty | PersonMet::Reference => Err(PersonMetRefusal::NotObligated),
        PersonMet::Minor => Err(PersonMetRefusal::Minor),
        PersonMet::OlderAdult => Err(PersonMetRefusal::OlderAdultNotDebtor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [CollectionAction; 3] = [
        CollectionAction::Collect,
        CollectionAction::PromiseToPay,
        CollectionAction::Agreement,
    ];

    #[test]
    fn debtor_and_guarantor_allowed() {
        for action in ACTIONS {
            assert_eq!(check_person_met(PersonMet::Debtor, action), Ok(()));
            assert_eq!(check_person_met(PersonMet::Guarantor, action), Ok(()));
        }
    }

    #[test]
    fn others_refused() {
        for action in ACTIONS {
            let third_party = check_person_met(PersonMet::ThirdParty, action);
            assert_eq!(third_party, Err(PersonMetRefusal::NotObligated));
            let reference = check_person_met(PersonMet::Reference, action);
            assert_eq!(reference, Err(PersonMetRefusal::NotObligated));
            let minor = check_person_met(PersonMet::Minor, action);
            assert_eq!(minor, Err(PersonMetRefusal::Minor));
            let older_adult = check_person_met(PersonMet::OlderAdult, action);
            assert_eq!(older_adult, Err(PersonMetRefusal::OlderAdultNotDebtor));
        }
    }
}
