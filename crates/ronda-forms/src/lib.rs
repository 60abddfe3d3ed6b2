//! Ronda's questionnaires: the form model, the expression language that
//! XLSForm forms use for skip logic, constraints and calculations, XLSForm
//! import and export, and the validation of submitted answers.

pub mod expr;
pub mod filter;
pub mod model;
pub mod templates;
pub mod validate;
pub mod xlsform;
