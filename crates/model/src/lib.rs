//! placeholder
pub mod count;
pub mod date;
pub mod error;
pub mod kind;
pub mod text;
pub mod vocab;
