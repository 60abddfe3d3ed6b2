//! Ronda's questionnaires: the expression language that XLSForm forms use for
//! skip logic, constraints and calculations.

pub mod expr;
