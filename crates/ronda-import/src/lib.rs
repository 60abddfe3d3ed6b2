//! Reading lenders' portfolio files. A file (CSV or XLSX) becomes a [`Table`], its
//! headers get a suggested [`Mapping`], and [`validate`] turns the rows into account
//! records plus a report of every row that cannot be imported and how to fix it.

pub mod mapping;
pub mod problem;
pub mod table;
pub mod validate;
pub mod values;

pub use mapping::{Field, Mapping};
pub use problem::{Problem, ProblemCode};
pub use table::{Cell, ReadError, Row, Table, TableHead, read_rows, read_table, sheet_names};
pub use validate::{AccountRecord, AddressRecord, Validation, Validator, validate};
