//! Tests of the awards crate against real ballot sets with official results.
mod blt_reader;
mod campaign;
mod condorcet;
mod formats;
mod irv;
mod simple_methods;
mod stv;
