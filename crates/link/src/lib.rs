//! Record linkage (being written).
