//! The web site (being written).
