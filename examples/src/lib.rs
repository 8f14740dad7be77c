//! What the examples share with their tests and the benchmarks: the
//! resolver options, the bundled demo zone and the doctor's demo cases, and
//! the test DNS server.

pub mod cli;
pub mod demo;
pub mod knot;
