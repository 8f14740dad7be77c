//! What the examples share with their tests: the bundled demo zone and the
//! doctor's demo cases.

pub mod cli;
pub mod demo;
