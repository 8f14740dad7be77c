//! What the examples share with their tests and the benchmarks: the
//! resolver options (with the doctor's bundled demo zone) and the test DNS
//! server.

pub mod cli;
pub mod knot;
