//! placeholder
pub mod error;
mod glm;
pub mod loglinear;
pub mod overlaps;
mod special;
pub use error::InputError;
pub use overlaps::{Overlaps, Stratum, read_input};
